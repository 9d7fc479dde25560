#include "migrate/history.h"

#include "common/error.h"
#include "db/error.h"
#include "migrate/session.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

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

namespace {

// A row's version: its key and, for a dotted one, its text. A row whose two disagree was
// written by hand; vidb refuses to guess which one is meant.
MigrationVersion row_version(const db::Result& rows, int row, const std::string& table)
{
    const std::int64_t key = rows.get_int(row, 0);
    const std::optional<std::string> text = rows.optional(row, 12);
    if (auto version = MigrationVersion::from_row(key, text)) {
        return *version;
    }
    throw Error(ExitCode::failure,
        table + " has a row with version " + std::to_string(key) + " and version_text "
            + (text ? "'" + *text + "'" : std::string("NULL")) + ", which do not belong together",
        { "vidb writes a dotted version (17.1) with a negative key derived from its text, and an integer version "
          "with version_text NULL; this row was written by hand",
            "restore the row vidb wrote (see MIGRATIONS.md, \"vidb's tables\"), then run the command again" });
}

} // namespace

HistorySnapshot History::read()
{
    HistorySnapshot snapshot;
    // The journal columns (direction, checksum, invalid_indexes) and version_text came
    // later: a database last migrated by an older vidb lacks them until ensure().
    const auto exists = m_connection.exec("SELECT pg_catalog.to_regclass(" + regclass_literal(m_table)
        + ") IS NOT NULL, pg_catalog.to_regclass(" + regclass_literal(m_progress) + ") IS NOT NULL, "
        + journal_columns_exist() + ", " + version_text_exists() + ", " + column_exists(m_progress, "version_text"));
    snapshot.exists = exists.get_bool(0, 0);
    if (!snapshot.exists) {
        return snapshot;
    }
    const bool has_progress = exists.get_bool(0, 1);
    const bool has_journal = exists.get_bool(0, 2);
    const bool has_text = exists.get_bool(0, 3);
    const bool progress_has_text = exists.get_bool(0, 4);
    // Times in one unambiguous form whatever the session's DateStyle (a DMY or MDY style
    // would print 03/04 that a reader can take for either month).
    const auto iso = [](const char* column) {
        return std::string("pg_catalog.to_char(") + column + ", 'YYYY-MM-DD HH24:MI:SS.USOF')";
    };
    std::string sql = "SELECT version, name, checksum, " + iso("applied_at")
        + ", execution_ms, applied_by, NULL::int, NULL::int, "
          "NULL::text, 0 AS kind, NULL::text, NULL::text, "
        + (has_text ? "version_text" : "NULL::text") + " FROM " + m_table;
    if (has_progress) {
        sql += std::string(" UNION ALL SELECT version, name, ") + (has_journal ? "checksum" : "NULL") + ", "
            + iso("updated_at") + ", NULL, NULL, statements_done, statements_total, last_error, 1, "
            + (has_journal ? "direction, invalid_indexes" : "'up', NULL") + ", "
            + (progress_has_text ? "version_text" : "NULL::text") + " FROM " + m_progress;
    }
    const auto rows = m_connection.exec(sql);
    for (int row = 0; row < rows.rows(); ++row) {
        const bool applied_row = rows.get_int(row, 9) == 0;
        const MigrationVersion version = row_version(rows, row, applied_row ? m_table : m_progress);
        if (applied_row) {
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
            partial.checksum = rows.optional(row, 2).value_or("");
            partial.updated_at = rows.optional(row, 3).value_or("");
            partial.statements_done = static_cast<int>(rows.get_int(row, 6));
            partial.statements_total = static_cast<int>(rows.get_int(row, 7));
            partial.last_error = rows.optional(row, 8).value_or("");
            partial.direction = rows.optional(row, 10).value_or("up") == "down" ? Direction::down : Direction::up;
            std::istringstream names(rows.optional(row, 11).value_or(""));
            for (std::string name; std::getline(names, name);) {
                if (!name.empty()) {
                    partial.invalid_indexes.push_back(name);
                }
            }
            snapshot.partial.push_back(std::move(partial));
        }
    }
    // In version order (numerically part by part), never in key order: a dotted version's
    // key says nothing about where it belongs.
    const auto by_version = [](const auto& a, const auto& b) { return a.version < b.version; };
    std::stable_sort(snapshot.applied.begin(), snapshot.applied.end(), by_version);
    std::stable_sort(snapshot.partial.begin(), snapshot.partial.end(), by_version);
    return snapshot;
}

std::string History::column_exists(const std::string& table, const char* column) const
{
    return "EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass("
        + regclass_literal(table) + ") AND attname = '" + column + "' AND NOT attisdropped)";
}

std::string History::journal_columns_exist() const
{
    return "(SELECT count(*) = 3 FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass("
        + regclass_literal(m_progress)
        + ") AND attname IN ('direction', 'checksum', 'invalid_indexes') AND NOT attisdropped)";
}

std::string History::version_text_exists() const
{
    return column_exists(m_table, "version_text");
}

std::string History::text_column(const MigrationVersion& version) const
{
    return version.is_integer() ? "" : ", version_text";
}

std::string History::text_value(const MigrationVersion& version) const
{
    const auto text = version.stored_text();
    return text ? ", " + m_connection.quote_literal(*text) : "";
}

std::string History::tables_state_sql() const
{
    return "SELECT pg_catalog.to_regclass(" + regclass_literal(m_table) + ") IS NOT NULL AND pg_catalog.to_regclass("
        + regclass_literal(m_progress) + ") IS NOT NULL AND pg_catalog.to_regclass(" + regclass_literal(m_lock)
        + ") IS NOT NULL, " + journal_columns_exist() + ", pg_catalog.to_regnamespace("
        + m_connection.quote_literal(m_schema_sql) + ") IS NOT NULL, " + version_text_exists() + " AND "
        + column_exists(m_progress, "version_text");
}

bool History::tables_complete(const db::Result& state)
{
    return state.get_bool(0, 0) && state.get_bool(0, 1) && state.get_bool(0, 3);
}

bool History::begin_bootstrap()
{
    // Several vidb started at once on a database without the tables (a fleet of
    // containers) all find them missing. The advisory lock lets one create or upgrade
    // them; the others, once it commits, see them complete and change nothing. Running
    // the COMMENTs and ALTERs again would take strong locks on two tables in turn while a
    // fleet member that found them complete reads both: a deadlock (PostgreSQL 18, 20 at once).
    const std::string begin
        = "BEGIN;\nSET LOCAL client_min_messages = warning;\nSELECT pg_catalog.pg_advisory_xact_lock("
        + std::string(k_bootstrap_lock_key) + ");\n";
    if (m_script != nullptr) {
        m_script->add(begin);
        return true;
    }
    // Two messages, so what is sent is the --sql script's text plus a read (a SELECT).
    m_connection.exec(begin);
    return !tables_complete(m_connection.exec(tables_state_sql()));
}

void History::ensure()
{
    const auto exists = m_connection.exec(tables_state_sql());
    if (tables_complete(exists)) {
        return;
    }
    if (exists.get_bool(0, 0)) {
        add_journal_columns(); // tables of an older vidb
        return;
    }
    std::string sql;
    // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even then.
    if (!exists.get_bool(0, 2)) {
        sql += "CREATE SCHEMA IF NOT EXISTS " + m_schema_sql + ";\n";
    }
    sql += "CREATE TABLE IF NOT EXISTS " + m_table
        + " (\n"
          "  version bigint PRIMARY KEY,\n"
          "  name text NOT NULL,\n"
          "  checksum text NOT NULL,\n"
          "  applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),\n"
          "  execution_ms integer,\n"
          "  applied_by text,\n"
          "  version_text text\n);\n"
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
          "  updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),\n"
          "  version_text text\n);\n"
        + journal_columns_sql() + "\nCOMMENT ON TABLE " + m_progress
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
        db::Transaction transaction(m_connection); // an error rolls the bootstrap back
        if (begin_bootstrap()) {
            send(sql);
        }
        transaction.commit();
    } catch (const db::SqlError& error) {
        auto details = privilege_advice(m_connection, error, "creating its history table", m_schema);
        if (details.empty()) {
            throw;
        }
        details.push_back("nothing was changed; run vidb migrate again once fixed");
        throw Error(ExitCode::failure, "cannot create vidb's history table " + m_table + ": " + error.server().message,
            details);
    }
}

void History::send(std::string_view sql)
{
    if (m_script != nullptr) {
        m_script->add(sql);
    } else {
        m_connection.exec(sql);
    }
}

std::string History::journal_columns_sql() const
{
    // Also run on tables an older vidb created: its progress rows (always ups) get
    // direction 'up' and no checksum (see Engine::check_resumable); its rows (integer
    // versions) get version_text NULL, as vidb writes them.
    return "ALTER TABLE " + m_progress
        + " ADD COLUMN IF NOT EXISTS direction text NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')),"
          " ADD COLUMN IF NOT EXISTS checksum text, ADD COLUMN IF NOT EXISTS invalid_indexes text,"
          " ADD COLUMN IF NOT EXISTS version_text text;\nALTER TABLE "
        + m_table + " ADD COLUMN IF NOT EXISTS version_text text;";
}

void History::add_journal_columns()
{
    try {
        db::Transaction transaction(m_connection);
        if (begin_bootstrap()) {
            send(journal_columns_sql() + "\nCOMMIT;");
        }
        transaction.commit();
    } catch (const db::SqlError& error) {
        if (error.sqlstate() != "42501") {
            throw;
        }
        throw Error(ExitCode::failure,
            "cannot add the columns this vidb needs to " + m_progress + " and " + m_table
                + " (created by an older vidb): " + error.server().message,
            { "SQLSTATE 42501: only the tables' owner may alter them; run this once as their owner:",
                journal_columns_sql() });
    }
}

void History::start_progress(const MigrationVersion& version, std::string_view name, Direction direction,
    std::string_view checksum, int done, int total)
{
    // A fresh run (done 0) replaces whatever row a forgotten run left; a resume keeps
    // its row (the caller checked it is the same file) and only refreshes it.
    const std::string v = std::to_string(version.key());
    send("INSERT INTO " + m_progress + " (version, name, direction, checksum, statements_done, statements_total"
        + text_column(version) + ") VALUES (" + v + ", " + m_connection.quote_literal(name) + ", '"
        + (direction == Direction::down ? "down" : "up") + "', " + m_connection.quote_literal(checksum) + ", "
        + std::to_string(done) + ", " + std::to_string(total) + text_value(version)
        + ") ON CONFLICT (version) DO UPDATE SET direction = EXCLUDED.direction, checksum = EXCLUDED.checksum, "
          "statements_done = EXCLUDED.statements_done, statements_total = EXCLUDED.statements_total, "
          "last_error = NULL, invalid_indexes = NULL, updated_at = pg_catalog.now()");
}

void History::write_bookkeeping(const std::string& statements)
{
    db::Transaction transaction(m_connection);
    send(k_bookkeeping_begin_sql + statements + "\nCOMMIT;");
    transaction.commit();
}

void History::record_progress(const MigrationVersion& version, int done)
{
    write_bookkeeping("UPDATE " + m_progress + " SET statements_done = " + std::to_string(done)
        + ", updated_at = pg_catalog.now() WHERE version = " + std::to_string(version.key()) + ";");
}

void History::record_failure(const MigrationVersion& version, int done, const std::string& error,
    const std::vector<std::string>& invalid_indexes) noexcept
{
    std::string names;
    for (const auto& name : invalid_indexes) {
        names += name + "\n";
    }
    try {
        write_bookkeeping("UPDATE " + m_progress + " SET statements_done = " + std::to_string(done)
            + ", last_error = " + m_connection.quote_literal(error)
            + ", invalid_indexes = " + (names.empty() ? "NULL" : m_connection.quote_literal(names))
            + ", updated_at = pg_catalog.now() WHERE version = " + std::to_string(version.key()) + ";");
    } catch (const std::exception&) {
        // The row still says how far it got before this statement.
    }
}

void History::forget_progress(const MigrationVersion& version)
{
    send("DELETE FROM " + m_progress + " WHERE version = " + std::to_string(version.key()));
}

} // namespace vidb::migrate
