#include "selftest/builtin_checks.h"

#include "migrate/session.h"

#include <fmt/format.h>

namespace vidb::selftest {

ServerFacts read_server_facts(db::Connection& connection)
{
    ServerFacts facts;
    facts.version = connection.server_version();
    facts.version_text = connection.server_version_text();
    // transaction_read_only in an implicit transaction reflects default_transaction_read_only
    // (set on the server, the database, the role or in the connection's options).
    const auto row = connection.exec("SELECT current_user, current_database(), pg_is_in_recovery(), "
                                     "current_setting('transaction_read_only') = 'on', "
                                     "coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)");
    facts.user = std::string(row.get(0, 0));
    facts.database = std::string(row.get(0, 1));
    const bool standby = row.get_bool(0, 2);
    facts.superuser = row.get_bool(0, 4);
    if (standby) {
        facts.read_only = true;
        facts.read_only_reason = "the server is a hot standby (read-only)";
    } else if (row.get_bool(0, 3)) {
        facts.read_only = true;
        facts.read_only_reason = "transactions are read-only here (default_transaction_read_only is on)";
    }
    return facts;
}

Outcome check_server_version(const ServerFacts& facts)
{
    const std::string name = "PostgreSQL " + facts.version_text;
    const int oldest = db::server_major(db::k_oldest_supported_server);
    const int newest = db::server_major(db::k_newest_tested_server);
    if (!db::is_supported_server(facts.version)) {
        return failed(fmt::format("{} is not supported: vidb needs PostgreSQL {} or newer", name, oldest),
            { fmt::format("upgrade the server; vidb is tested on PostgreSQL {} to {}", oldest, newest) });
    }
    std::string message = fmt::format("{}, supported: {} or newer", name, oldest);
    if (db::server_major(facts.version) > newest) {
        message += fmt::format(" (tested up to {})", newest);
    }
    if (facts.read_only) {
        message += "; " + facts.read_only_reason + ": checks that write are skipped";
    }
    return passed(message);
}

Outcome check_privileges(db::Connection& connection, migrate::History& history, const ServerFacts& facts)
{
    if (facts.read_only) {
        return skipped(
            facts.read_only_reason + ": vidb migrate cannot write here; fix: " + migrate::read_only_fix(connection));
    }
    const std::string& user = facts.user;
    const std::optional<std::string> wanted = history.schema().empty() ? std::nullopt : std::optional(history.schema());
    const auto schema = connection.exec_params(
        "SELECT s.name, n.oid IS NOT NULL, "
        "  CASE WHEN n.oid IS NULL THEN has_database_privilege(current_database(), 'CREATE') "
        "       ELSE has_schema_privilege(n.oid, 'CREATE') OR pg_has_role(n.nspowner, 'MEMBER') END "
        "FROM (SELECT coalesce($1::text, current_schema()::text) AS name) s "
        "LEFT JOIN pg_namespace n ON n.nspname = s.name",
        { wanted });
    if (schema.is_null(0, 0)) {
        return failed("no schema for vidb's history table: search_path names no existing schema",
            { "set search_path (ALTER ROLE " + user + " SET search_path = ...), or pass --schema / VIDB_SCHEMA" });
    }
    const std::string name(schema.get(0, 0));
    std::vector<std::string> problems;
    if (!schema.get_bool(0, 1) && !schema.get_bool(0, 2)) {
        problems.push_back(fmt::format("schema {} does not exist and {} may not create schemas in database {} (GRANT "
                                       "CREATE ON DATABASE {} TO {}, or create the schema first)",
            name, user, facts.database, facts.database, user));
    } else if (schema.get_bool(0, 1) && !schema.get_bool(0, 2)) {
        problems.push_back(fmt::format("{0} lacks CREATE on schema {1}, where migrations and vidb's history table go "
                                       "(GRANT CREATE ON SCHEMA {1} TO {0})",
            user, name));
    }
    const auto tables = connection.exec(fmt::format(
        "SELECT t.name, r IS NOT NULL, coalesce(has_table_privilege(r, 'SELECT') AND has_table_privilege(r, 'INSERT') "
        "  AND has_table_privilege(r, 'UPDATE') AND has_table_privilege(r, 'DELETE'), false) "
        "FROM (VALUES ({}), ({}), ({})) AS t(name), LATERAL (SELECT to_regclass(t.name) AS r) x",
        connection.quote_literal(history.table()), connection.quote_literal(history.progress_table()),
        connection.quote_literal(history.lock_table())));
    for (int row = 0; row < tables.rows(); ++row) {
        if (tables.get_bool(row, 1) && !tables.get_bool(row, 2)) {
            const std::string table(tables.get(row, 0));
            problems.push_back(fmt::format(
                "{0} cannot read and write {1} (GRANT SELECT, INSERT, UPDATE, DELETE ON {1} TO {0})", user, table));
        }
    }
    if (!problems.empty()) {
        if (problems.size() == 1) {
            return failed(problems.front());
        }
        return failed(fmt::format("{} lacks {} privileges vidb migrate needs", user, problems.size()), problems);
    }
    if (facts.superuser) {
        return passed(user + " is a superuser");
    }
    return passed(fmt::format("{} may create in schema {} and use vidb's tables", user, name));
}

Outcome check_invalid_indexes(db::Connection& connection)
{
    // An index being built right now by CREATE INDEX CONCURRENTLY is invalid too: leave it out.
    const auto rows = connection.exec(
        "SELECT format('%s.%s', n.nspname, ci.relname), format('%s.%s', tn.nspname, ct.relname) "
        "FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = ci.relnamespace "
        "JOIN pg_class ct ON ct.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = ct.relnamespace "
        "WHERE NOT i.indisvalid AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%' "
        "AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid) "
        "ORDER BY 1");
    if (rows.rows() == 0) {
        return passed("");
    }
    std::vector<std::string> details;
    for (int row = 0; row < rows.rows(); ++row) {
        details.push_back(fmt::format("{} on {}: DROP INDEX CONCURRENTLY {}; then create it again", rows.get(row, 0),
            rows.get(row, 1), rows.get(row, 0)));
    }
    details.push_back("a failed CREATE INDEX CONCURRENTLY (or REINDEX CONCURRENTLY) leaves an invalid index: "
                      "queries ignore it, yet every write still maintains it");
    return failed(fmt::format("{} invalid index{}", rows.rows(), rows.rows() == 1 ? "" : "es"), details);
}

} // namespace vidb::selftest
