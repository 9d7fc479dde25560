#pragma once

#include <string>

namespace vidb::localdb {

struct PortCheck {
    bool taken = false;
    std::string address; // the address found taken, e.g. "127.0.0.1"
    std::string holder; // "python3 (pid 4242)" when /proc tells; else ""
};

// Whether TCP `port` can be listened on at `listen` ("localhost" means 127.0.0.1 and
// ::1). Binds with SO_REUSEADDR as PostgreSQL does, so only a real listener (not a
// connection in TIME_WAIT) counts as taken.
PortCheck check_port(const std::string& listen, int port);

} // namespace vidb::localdb
