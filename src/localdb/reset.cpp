#include "localdb/reset.h"

#include "common/error.h"
#include "db/error.h"
#include "migrate/history.h"

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
    migrate::History history(connection, history_schema);
    const auto snapshot = history.read();
    summary.applied = static_cast<long long>(snapshot.applied.size());
    return summary;
}

void recreate_database(const std::string& maintenance_conninfo, const DatabaseSummary& summary)
{
    db::Connection connection = db::Connection::open(maintenance_conninfo);
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
