#pragma once

#include "cli/output.h"
#include "config/environment.h"
#include "db/connection.h"
#include "db/conninfo.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace vidb::cli {

// Options every command accepts (see `vidb --help`).
struct GlobalOptions {
    std::string url;
    std::string env_file;
    std::string schema;
    bool json = false;
    bool quiet = false;
    bool no_color = false;
    bool wait = false;
    std::string wait_timeout = "60s";
};

// What a command needs from its surroundings, created once the arguments are parsed.
class Context {
public:
    GlobalOptions options;
    // Set by a command that fails without throwing (e.g. a selftest with failures).
    int exit_code = 0;

    const Output& out();
    // The Output a command used, if any: what it recorded before an error.
    const Output* existing_out() const { return m_out ? &*m_out : nullptr; }
    const config::Environment& env();
    // The connection string from --url / DATABASE_URL / .env, checked by libpq.
    const db::Conninfo& conninfo();
    // Connects (waiting first with --wait); SIGINT cancels its queries.
    db::Connection connect();
    // Waits up to `timeout` for the database to accept connections.
    db::Connection connect_waiting(std::chrono::milliseconds timeout);
    // --schema, else VIDB_SCHEMA, else the URL's schema= (Prisma), else "" (the
    // connection's default schema).
    std::string schema();
    // "<user>@<hostname>" for the history's applied_by.
    std::string applied_by();
    // Where the connection string came from, for messages.
    const std::string& source()
    {
        conninfo();
        return m_source;
    }

private:
    std::optional<Output> m_out;
    std::optional<config::Environment> m_env;
    std::optional<db::Conninfo> m_conninfo;
    std::string m_source;
    std::string m_url_schema; // Prisma's ?schema= of the URL
};

} // namespace vidb::cli
