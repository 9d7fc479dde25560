#include "common/user_database.h"

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>

namespace vidb {

namespace {

std::optional<UserEntry> find_user_where(const std::function<bool(const passwd&)>& match)
{
    std::FILE* file = std::fopen("/etc/passwd", "re");
    if (file == nullptr) {
        return std::nullopt;
    }
    std::optional<UserEntry> found;
    while (const passwd* entry = fgetpwent(file)) {
        if (match(*entry)) {
            found = UserEntry { entry->pw_name, entry->pw_uid, entry->pw_gid, entry->pw_dir ? entry->pw_dir : "/" };
            break;
        }
    }
    std::fclose(file);
    return found;
}

} // namespace

std::optional<UserEntry> find_user(const std::string& name)
{
    return find_user_where([&](const passwd& entry) { return name == entry.pw_name; });
}

std::optional<UserEntry> find_user(uid_t uid)
{
    return find_user_where([&](const passwd& entry) { return entry.pw_uid == uid; });
}

std::vector<gid_t> groups_of(const std::string& name, gid_t primary)
{
    std::vector<gid_t> groups { primary };
    std::FILE* file = std::fopen("/etc/group", "re");
    if (file == nullptr) {
        return groups;
    }
    while (const group* entry = fgetgrent(file)) {
        for (char** member = entry->gr_mem; member != nullptr && *member != nullptr; ++member) {
            if (name == *member && std::find(groups.begin(), groups.end(), entry->gr_gid) == groups.end()) {
                groups.push_back(entry->gr_gid);
            }
        }
    }
    std::fclose(file);
    return groups;
}

} // namespace vidb
