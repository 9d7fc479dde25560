#include "localdb/process.h"

#include "common/user_database.h"

#include "common/error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace vidb::localdb {

namespace {

constexpr std::size_t k_max_output = 1 << 20;

// Both ends of a pipe, closed on scope exit unless released.
struct Pipe {
    int read = -1;
    int write = -1;
    Pipe()
    {
        int fds[2];
        // CLOEXEC: a daemon started by the child (pg_ctl's postmaster) must not inherit
        // our pipe, or reading it would never see end-of-file.
        if (pipe2(fds, O_CLOEXEC) != 0) {
            throw Error(ExitCode::failure, std::string("cannot create a pipe: ") + std::strerror(errno));
        }
        read = fds[0];
        write = fds[1];
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    ~Pipe()
    {
        close_read();
        close_write();
    }
    void close_read()
    {
        if (read >= 0) {
            ::close(read);
            read = -1;
        }
    }
    void close_write()
    {
        if (write >= 0) {
            ::close(write);
            write = -1;
        }
    }
};

std::vector<char*> c_strings(std::vector<std::string>& items)
{
    std::vector<char*> out;
    out.reserve(items.size() + 1);
    for (auto& item : items) {
        out.push_back(item.data());
    }
    out.push_back(nullptr);
    return out;
}

// In the forked child: report why it could not exec on the output pipe, then exit 127
// (the shell's "command not found" code).
[[noreturn]] void child_fail(const char* what, const char* path)
{
    const char* reason = std::strerror(errno);
    for (const char* part : { what, " ", path, ": ", reason, "\n" }) {
        (void)!::write(STDERR_FILENO, part, std::strlen(part));
    }
    _exit(127);
}

void write_input(int fd, const std::string& input)
{
    // A child that exits without reading its stdin must not kill vidb with SIGPIPE.
    struct sigaction ignore { };
    struct sigaction previous { };
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &previous);
    std::size_t done = 0;
    while (done < input.size()) {
        const ssize_t n = ::write(fd, input.data() + done, input.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    sigaction(SIGPIPE, &previous, nullptr);
}

// dup2, except that an fd already in place (vidb started with 0-2 closed) must lose
// its close-on-exec flag instead.
void place_fd(int fd, int target)
{
    if (fd == target) {
        fcntl(target, F_SETFD, 0);
    } else {
        dup2(fd, target);
    }
}

int exit_code_of(int status)
{
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

} // namespace

Outcome run(const Command& command)
{
    if (command.argv.empty() || command.argv.front().empty()) {
        throw Error(ExitCode::failure, "internal error: empty command");
    }
    std::vector<std::string> argv = command.argv;
    std::vector<std::string> env = command.env ? *command.env : child_environment();
    std::vector<char*> argv_c = c_strings(argv);
    std::vector<char*> env_c = c_strings(env);
    // Resolved before fork: the child should only make system calls.
    std::vector<gid_t> groups;
    if (command.run_as) {
        groups = groups_of(command.run_as->name, command.run_as->gid);
    }
    Pipe input;
    Pipe output;
    // A pipe belongs to its creator: let the account reopen its stdin by name
    // (initdb --pwfile=/dev/stdin).
    if (command.run_as && fchown(input.read, command.run_as->uid, command.run_as->gid) != 0) {
        throw Error(ExitCode::failure,
            std::string("cannot hand a pipe to ") + command.run_as->name + ": " + std::strerror(errno));
    }
    const pid_t pid = fork();
    if (pid < 0) {
        throw Error(ExitCode::failure, "cannot start " + argv.front() + ": " + std::strerror(errno));
    }
    if (pid == 0) {
        place_fd(input.read, STDIN_FILENO);
        place_fd(output.write, STDOUT_FILENO);
        place_fd(output.write, STDERR_FILENO);
        if (command.run_as) {
            const Account& account = *command.run_as;
            if (setgroups(groups.size(), groups.data()) != 0 || setgid(account.gid) != 0 || setuid(account.uid) != 0) {
                child_fail("cannot switch to user", account.name.c_str());
            }
        }
        if (!command.cwd.empty() && chdir(command.cwd.c_str()) != 0) {
            child_fail("cannot enter", command.cwd.c_str());
        }
        execve(argv_c[0], argv_c.data(), env_c.data());
        child_fail("cannot run", argv_c[0]);
    }
    input.close_read();
    output.close_write();
    write_input(input.write, command.input);
    input.close_write();

    Outcome outcome;
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + command.timeout;
    bool eof = false;
    bool reaped = false;
    int status = 0;
    char buffer[4096];
    while (!eof || !reaped) {
        if (!reaped && waitpid(pid, &status, WNOHANG) == pid) {
            reaped = true;
        }
        if (!reaped && command.timeout.count() > 0 && clock::now() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
            reaped = true;
            outcome.timed_out = true;
            break;
        }
        if (eof) {
            poll(nullptr, 0, 20);
            continue;
        }
        pollfd fd { output.read, POLLIN, 0 };
        // Once the child is gone, only drain what is already there: a daemon it left
        // behind may hold the pipe open for ever.
        const int ready = poll(&fd, 1, reaped ? 0 : 100);
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            eof = reaped;
            continue;
        }
        const ssize_t n = ::read(output.read, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            eof = true;
            continue;
        }
        if (outcome.output.size() < k_max_output) {
            outcome.output.append(buffer, static_cast<std::size_t>(n));
        }
    }
    outcome.exit_code = outcome.timed_out ? 124 : exit_code_of(status);
    return outcome;
}

std::optional<std::string> find_program(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) {
            continue; // an empty entry means ".": never trust the current directory
        }
        const std::string candidate = dir + "/" + name;
        struct stat info { };
        if (stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    return std::nullopt;
}

std::vector<std::string> child_environment(const std::vector<std::string>& extra)
{
    std::vector<std::string> env;
    for (char** item = environ; item != nullptr && *item != nullptr; ++item) {
        const std::string entry = *item;
        const std::string key = entry.substr(0, entry.find('='));
        const bool secret = key.starts_with("PG") || key == "DATABASE_URL" || key == "POSTGRES_PASSWORD";
        bool replaced = false;
        for (const auto& override_entry : extra) {
            replaced = replaced || override_entry.substr(0, override_entry.find('=')) == key;
        }
        if (!secret && !replaced) {
            env.push_back(entry);
        }
    }
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

std::vector<std::string> last_lines(const std::string& text, std::size_t lines)
{
    std::vector<std::string> all;
    std::stringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            all.push_back(line);
        }
    }
    if (all.size() > lines) {
        all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(lines));
    }
    return all;
}

} // namespace vidb::localdb
