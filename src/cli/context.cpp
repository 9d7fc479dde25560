#include "cli/context.h"

#include "cli/duration.h"
#include "common/error.h"
#include "common/user_database.h"
#include "config/database_url.h"
#include "config/secrets.h"
#include "db/error.h"
#include "db/interrupt.h"
#include "migrate/source_text.h"

#include <cstdlib>
#include <pwd.h>
#include <thread>
#include <unistd.h>

namespace vidb::cli {

namespace {

// What to do about a connection failure, from libpq's message.
std::string connection_advice(const std::string& message, const std::string& source)
{
    if (message.find("password authentication failed") != std::string::npos
        || message.find("no password supplied") != std::string::npos) {
        return "check the user and password in " + source + " (or ~/.pgpass)";
    }
    if (message.find("does not exist") != std::string::npos && message.find("database") != std::string::npos) {
        return "create the database, or run vidb up for a local development database";
    }
    if (message.find("pg_hba.conf") != std::string::npos) {
        return "the server's pg_hba.conf does not allow this user, database or host";
    }
    if (message.find("Connection refused") != std::string::npos || message.find("No such file") != std::string::npos) {
        return "is the server running there? vidb up starts a local one; vidb wait waits for one";
    }
    if (message.find("could not translate host name") != std::string::npos) {
        return "check the host name in " + source;
    }
    if (message.find("timeout expired") != std::string::npos) {
        return "the host did not answer; check the host, port and firewall";
    }
    return "";
}

// Failures that waiting will not cure.
bool is_final(const std::string& message)
{
    return message.find("password authentication failed") != std::string::npos
        || message.find("no password supplied") != std::string::npos || message.find("pg_hba.conf") != std::string::npos
        || message.find("could not translate host name") != std::string::npos;
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
        if (const auto password = m_env->get("PGPASSWORD")) {
            config::add_secret(*password);
        }
        if (const auto password = m_env->get("POSTGRES_PASSWORD")) {
            config::add_secret(*password);
        }
    }
    return *m_env;
}

const db::Conninfo& Context::conninfo()
{
    if (!m_conninfo) {
        const auto target = config::resolve_database_target(options.url, env());
        m_conninfo = db::Conninfo::parse(target.conninfo);
        m_source = target.source;
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
    const auto deadline = clock::now() + timeout;
    auto delay = std::chrono::milliseconds(100);
    auto last_report = clock::now();
    for (;;) {
        try {
            db::Connection connection = db::Connection::open(info.text);
            connection.make_interruptible();
            return connection;
        } catch (const db::ConnectionError& error) {
            const std::string message = error.what();
            // libpq checks option values only when connecting: "invalid port number", ...
            if (message.starts_with("invalid ")) {
                throw UsageError("invalid database URL (" + m_source + "): " + message);
            }
            const auto now = clock::now();
            if (now >= deadline || is_final(message)) {
                std::vector<std::string> details;
                if (const auto advice = connection_advice(message, m_source); !advice.empty()) {
                    details.push_back(advice);
                }
                if (timeout.count() > 0 && !is_final(message)) {
                    details.push_back("gave up after waiting " + options.wait_timeout);
                }
                db::ConnectionError failure("cannot connect to " + info.describe() + ": " + message, details);
                if (timeout.count() > 0 && !is_final(message)) {
                    failure.set_exit_status(ExitCode::timeout);
                }
                throw failure;
            }
            if (now - last_report >= std::chrono::seconds(5)) {
                out().progress("waiting for " + info.describe() + " (" + message + ")");
                last_report = now;
            }
            std::this_thread::sleep_for(
                std::min(delay, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
            delay = std::min(delay * 2, std::chrono::milliseconds(2000));
            db::throw_if_interrupted();
        }
    }
}

std::string Context::schema()
{
    std::string schema = options.schema.empty() ? env().get_or("VIDB_SCHEMA", "") : options.schema;
    if (migrate::text_problem(schema)) {
        throw UsageError("--schema (or VIDB_SCHEMA): a schema name must be UTF-8 text without NUL bytes");
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
