#include "localdb/reset_guard.h"

#include "db/error.h"
#include "localdb/instance.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

namespace vidb::localdb {

namespace {

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// One value, or a comma-separated list (SPRING_PROFILES_ACTIVE=prod,cloud).
bool names_production(const std::string& value)
{
    std::size_t start = 0;
    while (start <= value.size()) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        std::string item = lower(value.substr(start, comma - start));
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (item == "production" || item == "prod" || item == "live") {
            return true;
        }
        start = comma + 1;
    }
    return false;
}

// The start time (seconds since the epoch) that the native server of `vidb up` for
// `port` wrote to its postmaster.pid (third line), or -1 when there is none.
long long vidb_up_start_time(int port)
{
    const auto instance = find_instance(port);
    if (!instance) {
        return -1;
    }
    std::ifstream pid_file(instance->data() / "postmaster.pid");
    std::string line;
    for (int i = 0; i < 3 && std::getline(pid_file, line); ++i) { }
    if (!pid_file || line.empty()) {
        return -1;
    }
    char* end = nullptr;
    const long long seconds = std::strtoll(line.c_str(), &end, 10);
    return end != nullptr && *end == '\0' && seconds > 0 ? seconds : -1;
}

std::string served_by_vidb_up(db::Connection& connection)
{
    const std::string port_text = connection.port(); // `end` points into it
    char* end = nullptr;
    const long port = std::strtol(port_text.c_str(), &end, 10);
    if (end == nullptr || *end != '\0' || port <= 0 || port > 65535) {
        return "";
    }
    const long long recorded = vidb_up_start_time(static_cast<int>(port));
    if (recorded < 0) {
        return "";
    }
    const auto started = connection.exec("SELECT EXTRACT(epoch FROM pg_catalog.pg_postmaster_start_time())::bigint");
    // postmaster.pid and pg_postmaster_start_time() take the clock a moment apart.
    if (started.rows() == 1 && std::llabs(started.get_int(0, 0) - recorded) <= 2) {
        return ".vidb/pg-" + std::to_string(port);
    }
    return "";
}

} // namespace

std::vector<std::string> production_signals(const config::Environment& env)
{
    std::vector<std::string> signals;
    for (const char* name : k_stage_variables) {
        const std::string value = env.get_or(name, "");
        if (names_production(value)) {
            signals.push_back(std::string(name) + "=" + value + " (" + env.source_of(name) + ")");
        }
    }
    return signals;
}

Disposability check_disposable(db::Connection& connection, const std::string& history_schema)
{
    if (const std::string instance = served_by_vidb_up(connection); !instance.empty()) {
        return { true, "it is served by vidb up (" + instance + ")" };
    }
    if (connection.exec("SELECT EXISTS (SELECT FROM pg_catalog.pg_largeobject_metadata)").get_bool(0, 0)) {
        return { false, "it holds large objects" };
    }
    // Every table but vidb's own history tables in the history schema; partitions are
    // read through their parents and on their own, which costs nothing when empty.
    const auto tables = connection.exec_params(
        "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
        // Row-level security could show this role an empty table that holds rows.
        "       c.relrowsecurity AND NOT (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r "
        "                                 WHERE r.rolname = current_user) "
        "       AND (c.relforcerowsecurity OR NOT pg_catalog.pg_has_role(c.relowner, 'USAGE')) "
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
        "  AND NOT (n.nspname = COALESCE(NULLIF($1, ''), pg_catalog.current_schema()) "
        "           AND c.relname IN ('vidb_schema_migrations', 'vidb_migration_progress', 'vidb_migration_lock')) "
        "ORDER BY 1",
        { history_schema });
    constexpr int k_most_tables = 1000;
    if (tables.rows() > k_most_tables) {
        return { false, "it has " + std::to_string(tables.rows()) + " tables (more than vidb checks for rows)" };
    }
    for (int i = 0; i < tables.rows(); ++i) {
        const std::string table(tables.get(i, 0));
        if (tables.get_bool(i, 1)) {
            return { false, "table " + table + " has row-level security that may hide rows from " + connection.user() };
        }
        try {
            if (connection.exec("SELECT EXISTS (SELECT FROM " + table + ")").get_bool(0, 0)) {
                return { false, "table " + table + " holds rows" };
            }
        } catch (const db::SqlError& error) {
            return { false, "table " + table + " cannot be read (" + error.what() + ")" };
        }
    }
    return { true,
        tables.rows() == 0 ? "it has no tables besides vidb's history"
                           : "none of its tables holds a row besides vidb's history" };
}

} // namespace vidb::localdb
