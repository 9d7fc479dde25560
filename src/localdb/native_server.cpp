#include "localdb/native_server.h"

#include "common/user_database.h"

#include "common/error.h"
#include "localdb/account.h"
#include "localdb/port_check.h"
#include "localdb/process.h"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vidb::localdb {

namespace {

namespace fs = std::filesystem;

// Unix socket paths are limited to 107 bytes, ".s.PGSQL.<port>" included.
constexpr std::size_t k_max_socket_path = 107;

// Serialises concurrent `vidb up`s of one instance (two initdb runs would collide).
// Released when the descriptor closes, also if vidb dies.
class InstanceLock {
public:
    explicit InstanceLock(const fs::path& dir)
        : m_fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))
    {
        while (m_fd >= 0 && flock(m_fd, LOCK_EX) != 0 && errno == EINTR) { }
    }
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;
    ~InstanceLock()
    {
        if (m_fd >= 0) {
            close(m_fd);
        }
    }

private:
    int m_fd;
};

std::string conf_quote(const std::string& value)
{
    std::string out = "'";
    for (const char c : value) {
        out += c == '\'' ? "''" : std::string(1, c);
    }
    return out + "'";
}

// C.UTF-8 keeps upper(), lower() and ILIKE right beyond ASCII; plain C where it is missing.
std::string initdb_locale()
{
    for (const char* dir : { "/usr/lib/locale/C.utf8", "/usr/lib/locale/C.UTF-8" }) {
        if (fs::exists(dir)) {
            return "C.UTF-8";
        }
    }
    return "C";
}

// The server's programs run as `account`; as root, switch to it.
Command as_account(
    const Account& account, const Instance& instance, std::vector<std::string> argv, std::chrono::seconds timeout)
{
    Command command;
    command.argv = std::move(argv);
    command.env = child_environment({ "HOME=" + account.home, "USER=" + account.name, "LOGNAME=" + account.name });
    command.cwd = instance.dir.string();
    if (running_as_root() && account.uid != 0) {
        command.run_as = account;
    }
    command.timeout = timeout;
    return command;
}

Account owner_of(const Instance& instance)
{
    struct stat info { };
    if (running_as_root() && stat(instance.dir.c_str(), &info) == 0) {
        if (const auto entry = find_user(info.st_uid)) {
            return Account { entry->name, entry->uid, entry->gid, entry->home };
        }
    }
    return server_account();
}

void initialise(const LocalTarget& target, const ServerBinaries& binaries, const Account& account,
    const Instance& instance, const Progress& progress)
{
    if (access("/dev/stdin", F_OK) != 0) {
        throw Error(ExitCode::failure, "vidb up needs /dev/stdin (mount /proc): initdb reads the password from it");
    }
    progress("Creating a PostgreSQL " + std::to_string(binaries.major) + " cluster in " + instance.shown.string()
        + " (the server runs as user " + account.name + ")");
    Command command = as_account(account, instance,
        { binaries.program("initdb"), "-D", instance.data().string(), "-U", target.user,
            // The password arrives on stdin: never on a command line or on disk.
            "--pwfile=/dev/stdin", "--auth-host=scram-sha-256", "--auth-local=trust", "--encoding=UTF8",
            "--locale=" + initdb_locale() },
        std::chrono::seconds(300));
    command.input = target.password + "\n";
    const Outcome outcome = run(command);
    if (!outcome.ok()) {
        auto details = last_lines(outcome.output, 8);
        details.push_back(
            "initdb " + binaries.program("initdb") + " failed (exit " + std::to_string(outcome.exit_code) + ")");
        throw Error(ExitCode::failure, "could not create the database cluster in " + instance.shown.string(), details);
    }
    // vidb's settings live in their own file, rewritten before each start.
    std::ofstream conf(instance.data() / "postgresql.conf", std::ios::app);
    conf
        << "\n# Port, addresses and socket of vidb up: rewritten before each start.\ninclude_if_exists = 'vidb.conf'\n";
    if (!conf) {
        throw Error(ExitCode::failure, "cannot write " + (instance.shown / "data/postgresql.conf").string());
    }
}

void write_config(const LocalTarget& target, const Account& account, const Instance& instance)
{
    const fs::path path = instance.data() / "vidb.conf";
    const std::string socket = instance.socket_dir().string();
    const std::string socket_file = "/.s.PGSQL." + std::to_string(target.port);
    std::ofstream out(path, std::ios::trunc);
    out << "# Written by vidb up before each start. Settings made with ALTER SYSTEM win over these.\n"
        << "listen_addresses = " << conf_quote(target.listen) << "\n"
        << "port = " << target.port
        << "\n"
        // No socket when its path would be too long for the kernel: TCP still works.
        << "unix_socket_directories = "
        << conf_quote(socket.size() + socket_file.size() <= k_max_socket_path ? socket : "") << "\n"
        << "unix_socket_permissions = 0700\n"
        << "log_line_prefix = '%m [%p] %q%u@%d '\n";
    out.close();
    if (!out || chmod(path.c_str(), 0600) != 0
        || (running_as_root() && chown(path.c_str(), account.uid, account.gid) != 0)) {
        throw Error(ExitCode::failure, "cannot write " + (instance.shown / "data/vidb.conf").string());
    }
}

std::uintmax_t size_of(const fs::path& path)
{
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

std::string read_from(const fs::path& path, std::uintmax_t offset)
{
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const ServerBinaries& binaries_for(
    const Instance& instance, const std::vector<ServerBinaries>& found, std::optional<ServerBinaries>& chosen)
{
    const int major = instance.data_major();
    chosen = choose_binaries(found, major);
    if (!chosen) {
        std::string installed;
        for (const auto& binaries : found) {
            installed += (installed.empty() ? "" : ", ") + binaries.version;
        }
        throw Error(ExitCode::failure,
            instance.shown.string() + " holds a PostgreSQL " + std::to_string(major) + " cluster, but the PostgreSQL "
                + std::to_string(major) + " server programs are not installed"
                + (installed.empty() ? "" : " (found " + installed + ")"),
            { "install them (Debian: apt-get install postgresql-" + std::to_string(major) + ")",
                "or start over with vidb down --purge, which deletes the data" });
    }
    return *chosen;
}

} // namespace

StartOutcome start_native(const LocalTarget& target, const std::vector<ServerBinaries>& found,
    std::chrono::seconds timeout, const Progress& progress)
{
    const Account account = server_account();
    const Instance instance = prepare_instance(target.port, account);
    const InstanceLock lock(instance.dir);
    StartOutcome outcome { "native", false, instance.shown.string(), (instance.shown / "server.log").string() };
    std::error_code ec;
    std::optional<ServerBinaries> chosen;
    if (instance.data_major() == 0) {
        if (fs::exists(instance.data(), ec) && !fs::is_empty(instance.data(), ec)) {
            throw Error(ExitCode::failure,
                (instance.shown / "data").string() + " is not a PostgreSQL data directory (an interrupted initdb?)",
                { "vidb down --purge deletes it; then run vidb up again" });
        }
        chosen = choose_binaries(found, 0);
        if (!chosen) {
            throw Error(ExitCode::failure, "no PostgreSQL server programs found", install_advice());
        }
        // Before initdb: a taken port would leave a cluster that cannot start.
        if (const PortCheck port = check_port(target.listen, target.port); port.taken) {
            throw_port_taken(target, port.address, port.holder);
        }
        initialise(target, *chosen, account, instance, progress);
    }
    const ServerBinaries& binaries = binaries_for(instance, found, chosen);
    const std::string pg_ctl = binaries.program("pg_ctl");
    const std::string data = instance.data().string();
    if (run(as_account(account, instance, { pg_ctl, "-D", data, "status" }, std::chrono::seconds(30))).exit_code == 0) {
        outcome.already_running = true;
        return outcome;
    }
    if (const PortCheck port = check_port(target.listen, target.port); port.taken) {
        throw_port_taken(target, port.address, port.holder);
    }
    write_config(target, account, instance);
    progress("Starting PostgreSQL " + binaries.version + " on " + target.listen + ":" + std::to_string(target.port));
    const auto log_start = size_of(instance.log());
    const Outcome started = run(as_account(account, instance,
        { pg_ctl, "-D", data, "-l", instance.log().string(), "-w", "-t", std::to_string(timeout.count()), "start" },
        timeout + std::chrono::seconds(10)));
    if (!started.ok()) {
        const std::string log = read_from(instance.log(), log_start);
        if (log.find("Address already in use") != std::string::npos) {
            throw_port_taken(target, target.listen, "");
        }
        auto details = last_lines(log.empty() ? started.output : log, 8);
        details.push_back("full log: " + outcome.log);
        throw Error(ExitCode::failure, "PostgreSQL did not start in " + instance.shown.string(), details);
    }
    return outcome;
}

StopOutcome stop_native(const Instance& instance, const std::vector<ServerBinaries>& found)
{
    if (instance.data_major() == 0) {
        return StopOutcome::nothing;
    }
    std::optional<ServerBinaries> chosen;
    const std::string pg_ctl = binaries_for(instance, found, chosen).program("pg_ctl");
    const Account account = owner_of(instance);
    const std::string data = instance.data().string();
    if (run(as_account(account, instance, { pg_ctl, "-D", data, "status" }, std::chrono::seconds(30))).exit_code != 0) {
        return StopOutcome::was_stopped;
    }
    // Fast: disconnect the sessions and roll back their transactions rather than wait for them.
    const Outcome stopped = run(as_account(
        account, instance, { pg_ctl, "-D", data, "-m", "fast", "-w", "-t", "60", "stop" }, std::chrono::seconds(70)));
    if (!stopped.ok()) {
        auto details = last_lines(stopped.output, 5);
        details.push_back("log: " + (instance.shown / "server.log").string());
        throw Error(ExitCode::failure, "could not stop PostgreSQL in " + instance.shown.string(), details);
    }
    return StopOutcome::stopped;
}

} // namespace vidb::localdb
