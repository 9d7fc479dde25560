#include "localdb/instance.h"

#include "common/error.h"
#include "localdb/account.h"
#include "migrate/checksum.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace vidb::localdb {

namespace {

namespace fs = std::filesystem;

constexpr const char* k_relocation_root = "/var/lib/vidb";

[[noreturn]] void fail(const std::string& what, const fs::path& path)
{
    throw Error(ExitCode::failure, what + " " + path.string() + ": " + std::strerror(errno));
}

// mkdir that tolerates an existing directory; sets mode and owner either way.
void make_dir(const fs::path& path, mode_t mode, std::optional<Account> owner)
{
    if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
        fail("cannot create", path);
    }
    if (owner && chown(path.c_str(), owner->uid, owner->gid) != 0) {
        fail("cannot hand over", path);
    }
    if (chmod(path.c_str(), mode) != 0) {
        fail("cannot set permissions of", path);
    }
}

fs::path instance_link(int port)
{
    return state_dir() / ("pg-" + std::to_string(port));
}

// The .vidb directory itself: private, but passable for the server's account.
void prepare_state_dir(const Account& account)
{
    const fs::path dir = state_dir();
    const bool existed = fs::exists(dir);
    if (!existed) {
        make_dir(dir, 0700, std::nullopt);
        std::ofstream ignore(dir / ".gitignore");
        ignore << "# vidb up's local databases: never commit them\n*\n";
        ignore.close();
        chmod((dir / ".gitignore").c_str(), 0600);
    }
    struct stat info { };
    if (stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        throw Error(ExitCode::failure, dir.string() + " is not a directory; move it away and run vidb up again");
    }
    if (running_as_root() && account.uid != 0 && info.st_uid == 0) {
        // Group search permission only: postgres can pass through, nobody can list.
        if (chown(dir.c_str(), 0, account.gid) != 0 || chmod(dir.c_str(), 0710) != 0) {
            fail("cannot set permissions of", dir);
        }
    }
}

Instance make_instance(const fs::path& link)
{
    Instance instance;
    instance.shown = fs::path(".vidb") / link.filename();
    std::error_code ec;
    instance.relocated = fs::is_symlink(link, ec);
    instance.dir = instance.relocated ? fs::read_symlink(link, ec) : fs::absolute(link, ec);
    return instance;
}

fs::path relocated_dir(int port)
{
    const std::string project = fs::current_path().string();
    return fs::path(k_relocation_root)
        / (project_slug() + "-" + migrate::sha256_hex(project).substr(0, 8) + "-" + std::to_string(port));
}

} // namespace

int Instance::data_major() const
{
    std::ifstream in(data() / "PG_VERSION");
    int major = 0;
    return in >> major ? major : 0;
}

fs::path state_dir()
{
    return fs::current_path() / ".vidb";
}

std::string project_slug()
{
    std::string slug;
    for (const char c : fs::current_path().filename().string()) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            slug += static_cast<char>(std::tolower(u));
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') {
        slug.pop_back();
    }
    if (slug.size() > 24) {
        slug.resize(24);
    }
    return slug.empty() ? "project" : slug;
}

std::optional<Instance> find_instance(int port)
{
    const fs::path link = instance_link(port);
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(link, ec))) {
        return std::nullopt;
    }
    return make_instance(link);
}

Instance prepare_instance(int port, const Account& account)
{
    prepare_state_dir(account);
    const fs::path link = instance_link(port);
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(link, ec))) {
        if (can_enter(account, state_dir())) {
            make_dir(link, 0700, account);
        } else {
            // Only root gets here (for itself every directory is passable).
            make_dir(k_relocation_root, 0755, std::nullopt);
            const fs::path target = relocated_dir(port);
            make_dir(target, 0700, account);
            fs::create_symlink(target, link, ec);
            if (ec) {
                throw Error(ExitCode::failure, "cannot create " + link.string() + ": " + ec.message());
            }
        }
    }
    Instance instance = make_instance(link);
    struct stat info { };
    if (stat(instance.dir.c_str(), &info) != 0) {
        fail("cannot use", instance.shown);
    }
    if (info.st_uid != account.uid) {
        throw Error(ExitCode::failure,
            instance.shown.string() + " belongs to another user (uid " + std::to_string(info.st_uid)
                + ") than the one the server would run as (" + account.name + ")",
            { "run vidb up and down the same way each time (both with sudo, or both without)",
                "or delete it with vidb down --purge as root" });
    }
    make_dir(instance.socket_dir(), 0700, account);
    return instance;
}

void remove_instance(const Instance& instance)
{
    std::error_code ec;
    fs::remove_all(instance.dir, ec);
    if (ec) {
        throw Error(ExitCode::failure, "cannot delete " + instance.dir.string() + ": " + ec.message());
    }
    if (instance.relocated) {
        fs::remove(state_dir() / instance.shown.filename(), ec);
    }
}

std::vector<int> instance_ports()
{
    std::vector<int> ports;
    std::error_code ec;
    for (fs::directory_iterator it(state_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with("pg-") && name.size() > 3 && name.find_first_not_of("0123456789", 3) == std::string::npos
            && name.size() < 9) {
            ports.push_back(std::stoi(name.substr(3)));
        }
    }
    return ports;
}

} // namespace vidb::localdb
