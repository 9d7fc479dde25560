#include "migrate/history.h"

#include "common/error.h"
#include "db/error.h"
#include "migrate/session.h"

#include <cstdlib>

namespace vidb::migrate {

namespace {

// Serialises first-use table creation across concurrent vidb processes. A
// transaction-scoped lock, so it also holds through transaction-pooling PgBouncer.
constexpr const char* k_bootstrap_lock_key = "7170836021486940161";

} // namespace

History::History(db::Connection& connection, const std::string& schema)
    : m_connection(connection)
{
    const SchemaName resolved = resolve_schema(connection, schema);
    m_schema = resolved.name;
    m_schema_sql = resolved.sql;
    m_table = qualify("vidb_schema_migrations");
    m_progress = qualify("vidb_migration_progress");
    m_lock = qualify("vidb_migration_lock");
}

std::string History::qualify(const std::string& name) const
{
    return m_schema_sql + "." + name;
}

std::string History::regclass_literal(const std::string& qualified) const
{
    return m_connection.quote_literal(qualified);
}

HistorySnapshot History::read()
{
    HistorySnapshot snapshot;
    const auto exists = m_connection.exec("SELECT pg_catalog.to_regclass(" + regclass_literal(m_table)
        + ") IS NOT NULL, pg_catalog.to_regclass(" + regclass_literal(m_progress) + ") IS NOT NULL");
    snapshot.exists = exists.get_bool(0, 0);
    if (!snapshot.exists) {
        return snapshot;
    }
    const bool has_progress = exists.get_bool(0, 1);
    std::string sql
        = "SELECT version, name, checksum, applied_at::text, execution_ms, applied_by, NULL::int, NULL::int, "
          "NULL::text, 0 AS kind FROM "
        + m_table;
    if (has_progress) {
        sql += " UNION ALL SELECT version, name, NULL, updated_at::text, NULL, NULL, statements_done, "
               "statements_total, "
               "last_error, 1 FROM "
            + m_progress;
    }
    sql += " ORDER BY 1";
    const auto rows = m_connection.exec(sql);
    for (int row = 0; row < rows.rows(); ++row) {
        const auto version = static_cast<std::uint64_t>(rows.get_int(row, 0));
        if (rows.get_int(row, 9) == 0) {
            AppliedMigration applied;
            applied.version = version;
            applied.name = rows.optional(row, 1).value_or("");
            applied.checksum = rows.optional(row, 2).value_or("");
            applied.applied_at = rows.optional(row, 3).value_or("");
            if (!rows.is_null(row, 4)) {
                applied.execution_ms = rows.get_int(row, 4);
            }
            applied.applied_by = rows.optional(row, 5).value_or("");
            snapshot.applied.push_back(std::move(applied));
        } else {
            PartialMigration partial;
            partial.version = version;
            partial.name = rows.optional(row, 1).value_or("");
            partial.updated_at = rows.optional(row, 3).value_or("");
            partial.statements_done = static_cast<int>(rows.get_int(row, 6));
            partial.statements_total = static_cast<int>(rows.get_int(row, 7));
            partial.last_error = rows.optional(row, 8).value_or("");
            snapshot.partial.push_back(std::move(partial));
        }
    }
    return snapshot;
}

void History::ensure()
{
    const auto exists = m_connection.exec("SELECT pg_catalog.to_regclass(" + regclass_literal(m_table)
        + ") IS NOT NULL AND pg_catalog.to_regclass(" + regclass_literal(m_progress)
        + ") IS NOT NULL AND pg_catalog.to_regclass(" + regclass_literal(m_lock)
        + ") IS NOT NULL, pg_catalog.to_regnamespace(" + m_connection.quote_literal(m_schema_sql) + ") IS NOT NULL");
    if (exists.get_bool(0, 0)) {
        return;
    }
    std::string sql = "BEGIN;\nSELECT pg_catalog.pg_advisory_xact_lock(" + std::string(k_bootstrap_lock_key) + ");\n";
    // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even then.
    if (!exists.get_bool(0, 1)) {
        sql += "CREATE SCHEMA IF NOT EXISTS " + m_schema_sql + ";\n";
    }
    sql += "CREATE TABLE IF NOT EXISTS " + m_table
        + " (\n"
          "  version bigint PRIMARY KEY,\n"
          "  name text NOT NULL,\n"
          "  checksum text NOT NULL,\n"
          "  applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),\n"
          "  execution_ms integer,\n"
          "  applied_by text\n);\n"
          "COMMENT ON TABLE "
        + m_table
        + " IS 'Migrations applied by vidb. Do not edit by hand.';\n"
          "CREATE TABLE IF NOT EXISTS "
        + m_progress
        + " (\n"
          "  version bigint PRIMARY KEY,\n"
          "  name text NOT NULL,\n"
          "  statements_done integer NOT NULL,\n"
          "  statements_total integer NOT NULL,\n"
          "  last_error text,\n"
          "  updated_at timestamptz NOT NULL DEFAULT pg_catalog.now()\n);\n"
          "COMMENT ON TABLE "
        + m_progress
        + " IS 'vidb: no-transaction migrations that stopped part way. See vidb status.';\n"
          "CREATE TABLE IF NOT EXISTS "
        + m_lock
        + " (\n"
          "  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),\n"
          "  owner text NOT NULL,\n"
          "  holder text NOT NULL,\n"
          "  acquired_at timestamptz NOT NULL DEFAULT pg_catalog.now(),\n"
          "  heartbeat_at timestamptz NOT NULL DEFAULT pg_catalog.now()\n);\n"
          "COMMENT ON TABLE "
        + m_lock
        + " IS 'vidb: the migration lock (one row while a vidb run applies or reverts).';\n"
          "COMMIT;";
    try {
        m_connection.exec(sql);
    } catch (const db::SqlError& error) {
        m_connection.rollback_if_in_transaction();
        auto details = privilege_advice(m_connection, error, "creating its history table", m_schema);
        if (details.empty()) {
            throw;
        }
        details.push_back("nothing was changed; run vidb migrate again once fixed");
        throw Error(ExitCode::failure, "cannot create vidb's history table " + m_table + ": " + error.server().message,
            details);
    } catch (...) {
        m_connection.rollback_if_in_transaction();
        throw;
    }
}

} // namespace vidb::migrate
