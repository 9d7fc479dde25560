#include "localdb/account.h"

#include "common/error.h"
#include "common/user_database.h"

#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace vidb::localdb {

namespace {

constexpr const char* k_root_server_account = "postgres";

Account from_entry(const UserEntry& entry)
{
    return Account { entry.name, entry.uid, entry.gid, entry.home };
}

} // namespace

std::optional<Account> lookup_account(const std::string& name)
{
    const auto entry = find_user(name);
    if (!entry) {
        return std::nullopt;
    }
    return from_entry(*entry);
}

bool running_as_root()
{
    return geteuid() == 0;
}

Account server_account()
{
    if (!running_as_root()) {
        const auto entry = find_user(geteuid());
        if (!entry) {
            return Account { "uid " + std::to_string(geteuid()), geteuid(), getegid(), "/" };
        }
        return from_entry(*entry);
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
    const std::vector<gid_t> groups = groups_of(account.name, account.gid);
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
