#include "cli/context.h"

#include "cli/duration.h"
#include "common/error.h"
#include "common/user_database.h"
#include "config/database_url.h"
#include "db/error.h"
#include "db/interrupt.h"
#include "migrate/source_text.h"

#include <cstdlib>
#include <pwd.h>
#include <thread>
#include <unistd.h>

namespace vidb::cli {

namespace {

// What to do about a connection failure, by its kind (the SQLSTATE the server sent).
std::string connection_advice(const db::ConnectionError& error, const std::string& source)
{
    switch (error.failure()) {
    case db::ConnectFailure::credentials:
        return error.sqlstate() == "28000" ? "the server refuses this user here: check the user name in " + source
                + ", and the server's pg_hba.conf for this user, database and host"
                                           : "check the user and password in " + source + " (or ~/.pgpass)";
    case db::ConnectFailure::no_database:
        return "create the database, or run vidb up for a local development database";
    case db::ConnectFailure::unreachable:
        return "is the server running there? vidb up starts a local one; vidb wait waits for one";
    case db::ConnectFailure::unknown_host:
        return "check the host name in " + source;
    case db::ConnectFailure::timeout:
        return "the host did not answer; check the host, port and firewall";
    case db::ConnectFailure::starting:
        return "the server is starting or shutting down; vidb wait waits for it";
    default:
        return "";
    }
}

} // namespace

const Output& Context::out()
{
    if (!m_out) {
        m_out.emplace(options.quiet, options.no_color, options.json);
    }
    return *m_out;
}

const config::Environment& Context::env()
{
    if (!m_env) {
        m_env = config::Environment::load(options.env_file);
    }
    return *m_env;
}

const db::Conninfo& Context::conninfo()
{
    if (!m_conninfo) {
        const auto target = config::resolve_database_target(options.url, env());
        m_source = target.source;
        m_url_schema = target.schema;
        try {
            m_conninfo = db::Conninfo::parse(target.conninfo);
        } catch (const UsageError& error) {
            throw UsageError(std::string(error.what()) + " (" + m_source + ")", error.details());
        }
        for (const auto& note : target.notes) {
            out().progress("note: " + note + " (" + m_source + ")");
        }
    }
    return *m_conninfo;
}

db::Connection Context::connect()
{
    if (options.wait) {
        const auto timeout = parse_duration(options.wait_timeout);
        if (!timeout) {
            throw UsageError("--wait-timeout: expected a duration such as 60s, 500ms or 2m");
        }
        return connect_waiting(*timeout);
    }
    return connect_waiting(std::chrono::milliseconds(0));
}

db::Connection Context::connect_waiting(std::chrono::milliseconds timeout)
{
    const db::Conninfo& info = conninfo();
    using clock = std::chrono::steady_clock;
    using std::chrono::milliseconds;
    const auto deadline = clock::now() + timeout;
    auto delay = milliseconds(100);
    auto last_report = clock::now();
    for (;;) {
        try {
            // While waiting, no attempt outlasts the time left (a host that never answers
            // would otherwise hold each attempt for the whole connect timeout).
            const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock::now());
            const auto at_most = timeout.count() > 0 ? std::max(left, milliseconds(500)) : milliseconds::max();
            db::Connection connection = db::Connection::open(info.text, std::chrono::seconds(10), at_most);
            connection.make_interruptible();
            return connection;
        } catch (const db::ConnectionError& error) {
            // libpq checks some option values only when connecting: "invalid port number", ...
            if (error.failure() == db::ConnectFailure::bad_option) {
                std::vector<std::string> details;
                if (db::is_url(info.text)) {
                    details.push_back(db::percent_encoding_hint());
                }
                throw UsageError("invalid database URL (" + m_source + "): " + error.what(), details);
            }
            const auto now = clock::now();
            if (now >= deadline || error.is_final()) {
                std::vector<std::string> details = error.details();
                if (const auto advice = connection_advice(error, m_source); !advice.empty()) {
                    details.push_back(advice);
                }
                const bool gave_up = timeout.count() > 0 && !error.is_final();
                if (gave_up) {
                    details.push_back("gave up after waiting " + options.wait_timeout);
                }
                db::ConnectionError failure("cannot connect to " + info.describe() + ": " + error.what(), details,
                    error.failure(), error.sqlstate());
                if (gave_up) {
                    failure.set_exit_status(ExitCode::timeout);
                }
                throw failure;
            }
            if (now - last_report >= std::chrono::seconds(5)) {
                out().progress("waiting for " + info.describe() + " (" + error.what() + ")");
                last_report = now;
            }
            std::this_thread::sleep_for(std::min(delay, std::chrono::duration_cast<milliseconds>(deadline - now)));
            delay = std::min(delay * 2, milliseconds(2000));
            db::throw_if_interrupted();
        }
    }
}

std::string Context::schema()
{
    // --schema, then VIDB_SCHEMA, then the URL's schema= (Prisma's), each named when wrong.
    std::string schema = options.schema;
    std::string from = "--schema";
    if (schema.empty()) {
        schema = env().get_or("VIDB_SCHEMA", "");
        from = "VIDB_SCHEMA (" + env().source_of("VIDB_SCHEMA") + ")";
    }
    if (schema.empty() && (!options.url.empty() || env().get("DATABASE_URL"))) {
        conninfo();
        schema = m_url_schema;
        from = "schema= in " + m_source;
    }
    if (migrate::text_problem(schema)) {
        throw UsageError(from + ": a schema name must be UTF-8 text without NUL bytes");
    }
    return schema;
}

std::string Context::applied_by()
{
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) {
        host[0] = '\0';
    }
    const char* user = std::getenv("USER");
    if (user == nullptr || *user == '\0') {
        static const auto entry = find_user(geteuid());
        user = entry ? entry->name.c_str() : "unknown";
    }
    return std::string(user) + "@" + host;
}

} // namespace vidb::cli
