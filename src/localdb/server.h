#pragma once

#include "localdb/target.h"

#include <chrono>
#include <functional>
#include <string>

namespace vidb::localdb {

// Prints a progress line ("Creating a PostgreSQL 15 cluster ...").
using Progress = std::function<void(const std::string& line)>;

// What `vidb up` did, for its report.
struct StartOutcome {
    std::string backend; // "native" or "docker"
    bool already_running = false;
    std::string where; // ".vidb/pg-15432" or "container vidb-app-15432"
    std::string log; // where the server log is, or how to read it
};

// What `vidb down` found.
enum class StopOutcome { nothing, stopped, was_stopped };

// Error (exit 1) for a port held by another program, naming it when /proc tells.
[[noreturn]] void throw_port_taken(const LocalTarget& target, const std::string& address, const std::string& holder);

} // namespace vidb::localdb
