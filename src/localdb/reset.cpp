#include "localdb/reset.h"

#include "common/error.h"
#include "db/error.h"
#include "migrate/history.h"
#include "migrate/planner.h"

namespace vidb::localdb {

DatabaseSummary summarize_database(db::Connection& connection, const std::string& history_schema)
{
    DatabaseSummary summary;
    summary.database = connection.database();
    summary.host = connection.host() + ":" + connection.port();
    summary.server_version = connection.server_version();
    const auto rights = connection.exec(
        "SELECT pg_catalog.pg_get_userbyid(d.datdba), r.rolsuper, r.rolcreatedb, "
        "pg_catalog.pg_has_role(current_user, d.datdba, 'USAGE'), "
        "(SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        " WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
        "   AND c.relname NOT IN ('vidb_schema_migrations', 'vidb_migration_progress', 'vidb_migration_lock')) "
        "FROM pg_catalog.pg_database d, pg_catalog.pg_roles r "
        "WHERE d.datname = current_database() AND r.rolname = current_user");
    if (rights.rows() == 1) {
        summary.owner = std::string(rights.get(0, 0));
        const bool superuser = rights.get_bool(0, 1);
        const bool createdb = rights.get_bool(0, 2);
        const bool owner = rights.get_bool(0, 3);
        summary.tables = rights.get_int(0, 4);
        summary.can_recreate = superuser || (createdb && owner);
        if (!summary.can_recreate) {
            summary.cannot_recreate_because = "role " + connection.user()
                + (createdb ? " does not own database " + summary.database : " may not create databases (no CREATEDB)");
        }
    }
    summary.history = migrate::History(connection, history_schema).read();
    summary.applied = static_cast<long long>(summary.history.applied.size());
    return summary;
}

void check_can_revert_all(const migrate::Catalog& catalog, const migrate::HistorySnapshot& history)
{
    std::vector<std::string> problems;
    for (const auto& entry : migrate::compute_status(catalog, history)) {
        const std::string name
            = entry.migration ? migrate::label(*entry.migration) : entry.version.text() + "_" + entry.name;
        switch (entry.state) {
        case migrate::State::applied:
            if (!entry.migration->has_down) {
                problems.push_back(name + " is irreversible: it has no down file");
            }
            break;
        case migrate::State::pending:
            break;
        case migrate::State::drifted:
            problems.push_back(name + " changed since it was applied (checksum " + entry.applied->checksum
                + " applied, " + std::string(entry.migration->checksum) + " embedded)");
            break;
        case migrate::State::unknown:
            problems.push_back(name + " is not known to this binary: it has no down SQL here");
            break;
        default:
            problems.push_back(name + " is " + migrate::state_name(entry.state) + " (see vidb status and vidb repair)");
            break;
        }
    }
    if (problems.empty()) {
        // The same refusals as revert --all and the migrate after it, on the history
        // the reverts would leave.
        migrate::plan_revert(
            catalog, history, migrate::RevertRequest { .count = std::nullopt, .to = std::nullopt, .all = true });
        migrate::HistorySnapshot after;
        after.exists = history.exists;
        after.partial = history.partial;
        migrate::plan_migrate(catalog, after, {});
        return;
    }
    problems.push_back("nothing was changed; fix these (or run reset as a role with CREATEDB that owns the "
                       "database, so that it can drop it), then run vidb reset again");
    const std::string count
        = problems.size() == 2 ? problems.front() : std::to_string(problems.size() - 1) + " problems";
    throw RefusedError("cannot reset by reverting every migration: " + count, problems);
}

void recreate_database(db::Connection& connection, const DatabaseSummary& summary)
{
    if (connection.database() == summary.database) {
        throw Error(ExitCode::failure, "cannot drop database " + summary.database + " while connected to it");
    }
    const std::string name = connection.quote_identifier(summary.database);
    // WITH (FORCE): every supported version (13+, db/server_features.h) has it.
    connection.exec("DROP DATABASE " + name + " WITH (FORCE)");
    std::string create = "CREATE DATABASE " + name;
    if (!summary.owner.empty() && summary.owner != connection.user()) {
        create += " OWNER " + connection.quote_identifier(summary.owner);
    }
    try {
        connection.exec(create);
    } catch (const db::SqlError& error) {
        throw Error(ExitCode::failure,
            "dropped database " + summary.database + " but could not create it again: " + error.what(),
            { "create it by hand (CREATE DATABASE " + name + "), then run vidb migrate" });
    }
}

} // namespace vidb::localdb
