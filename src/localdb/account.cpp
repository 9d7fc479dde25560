#include "localdb/account.h"

#include "common/error.h"

#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace vidb::localdb {

namespace {

constexpr const char* k_root_server_account = "postgres";

Account from_passwd(const passwd& entry)
{
    return Account { entry.pw_name, entry.pw_uid, entry.pw_gid, entry.pw_dir ? entry.pw_dir : "/" };
}

} // namespace

std::optional<Account> lookup_account(const std::string& name)
{
    const passwd* entry = getpwnam(name.c_str());
    if (entry == nullptr) {
        return std::nullopt;
    }
    return from_passwd(*entry);
}

bool running_as_root()
{
    return geteuid() == 0;
}

Account server_account()
{
    if (!running_as_root()) {
        const passwd* entry = getpwuid(geteuid());
        if (entry == nullptr) {
            return Account { "uid " + std::to_string(geteuid()), geteuid(), getegid(), "/" };
        }
        return from_passwd(*entry);
    }
    if (auto account = lookup_account(k_root_server_account)) {
        return *account;
    }
    throw Error(ExitCode::failure,
        "vidb up runs PostgreSQL as the unprivileged user 'postgres' when started as root (PostgreSQL "
        "refuses to run as root), but there is no such user",
        { "create it: useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres",
            "or install the server package, which creates it: apt-get install postgresql",
            "or run vidb up as a regular user" });
}

bool can_enter(const Account& account, const std::string& path)
{
    if (account.uid == geteuid()) {
        return access(path.c_str(), X_OK) == 0;
    }
    std::vector<gid_t> groups(64);
    int count = static_cast<int>(groups.size());
    if (getgrouplist(account.name.c_str(), account.gid, groups.data(), &count) < 0) {
        groups.resize(static_cast<std::size_t>(count));
        getgrouplist(account.name.c_str(), account.gid, groups.data(), &count);
    }
    groups.resize(static_cast<std::size_t>(std::max(count, 0)));
    // access() checks with the real ids, so ask a child that has become the account.
    const pid_t pid = fork();
    if (pid < 0) {
        return false;
    }
    if (pid == 0) {
        const bool switched
            = setgroups(groups.size(), groups.data()) == 0 && setgid(account.gid) == 0 && setuid(account.uid) == 0;
        _exit(switched && access(path.c_str(), X_OK) == 0 ? 0 : 1);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return false;
        }
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace vidb::localdb
