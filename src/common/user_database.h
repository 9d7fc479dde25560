#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace vidb {

// An entry of /etc/passwd.
struct UserEntry {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string home;
};

// Reads /etc/passwd and /etc/group directly (fgetpwent/fgetgrent), not through NSS:
// getpwnam() in a static glibc binary dlopens NSS modules built for the shared libc and
// crashes. Local accounts are all vidb needs (the postgres server account, applied_by).
std::optional<UserEntry> find_user(const std::string& name);
std::optional<UserEntry> find_user(uid_t uid);
// The user's primary group and every group in /etc/group that lists it.
std::vector<gid_t> groups_of(const std::string& name, gid_t primary);

} // namespace vidb
