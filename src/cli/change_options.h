#pragma once

#include "cli/context.h"
#include "migrate/engine.h"

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace vidb::cli {

// Flags shared by the commands that change the schema (migrate, revert, redo, repair).
struct ChangeOptions {
    std::string lock_timeout; // default: VIDB_LOCK_TIMEOUT, else 10s
    std::string statement_timeout; // default: VIDB_STATEMENT_TIMEOUT, else 0 (no limit)
    std::string lock_wait_timeout; // default: VIDB_LOCK_WAIT_TIMEOUT, else 15m
    int lock_retries = -1; // default: VIDB_LOCK_RETRIES, else 0

    void add_to(CLI::App& command);
    migrate::EngineOptions engine_options(Context& context) const;
};

// A version given on the command line: digits, or digits separated by '.' or '_'
// (Flyway's 17.1), else UsageError.
migrate::MigrationVersion parse_version_argument(const std::string& text, const std::string& what);

} // namespace vidb::cli
