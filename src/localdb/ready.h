#pragma once

#include "localdb/target.h"

#include <chrono>
#include <string>

namespace vidb::localdb {

struct Readiness {
    std::string server_version; // "15.18"
    bool database_created = false;
};

// Waits until the server takes the target's user and password, then creates the
// target's database when it is missing. Error with advice when the credentials are
// refused (a cluster made earlier with another user or password), exit 5 on timeout.
Readiness wait_until_ready(const LocalTarget& target, std::chrono::milliseconds timeout, const std::string& where);

} // namespace vidb::localdb
