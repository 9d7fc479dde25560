#pragma once

#include "db/connection.h"
#include "migrate/file_name.h"
#include "migrate/migration_version.h"
#include "migrate/sql_script.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// A row of vidb_schema_migrations.
struct AppliedMigration {
    MigrationVersion version; // from the row's version and version_text
    std::string name;
    std::string checksum;
    std::string applied_at;
    std::optional<long long> execution_ms;
    std::string applied_by;
};

// A `-- vidb:no-transaction` file (up or down) that stopped part way: its row in
// vidb_migration_progress, the journal of a statement-by-statement run.
struct PartialMigration {
    MigrationVersion version;
    std::string name;
    int statements_done = 0;
    int statements_total = 0;
    std::string last_error;
    std::string updated_at;
    Direction direction = Direction::up; // down: a revert stopped part way (still applied)
    // SHA-256 of the file that started (up or down file); empty in rows written by an
    // older vidb that did not record it.
    std::string checksum;
    // Indexes left INVALID by the statement that failed (schema-qualified, quoted).
    std::vector<std::string> invalid_indexes;
};

struct HistorySnapshot {
    bool exists = false;
    std::vector<AppliedMigration> applied; // ascending version (MigrationVersion order)
    std::vector<PartialMigration> partial;
};

// The history table and vidb's two bookkeeping tables beside it:
// vidb_migration_progress (partial no-transaction runs) and vidb_migration_lock.
class History {
public:
    // schema empty: the connection's default schema (current_schema()), resolved now,
    // right after connecting; every table name below carries it (see session.h).
    History(db::Connection& connection, const std::string& schema);

    HistorySnapshot read();
    // Creates the schema and tables when missing, and adds the columns newer vidb
    // versions use to older tables (the journal's columns, version_text); concurrent
    // callers are serialised.
    void ensure();

    // For a row's INSERT: ", version_text" and ", '<text>'" for a version stored with its
    // text (MigrationVersion::stored_text), nothing for an integer version (so what vidb
    // writes for integer-only projects is what it always wrote).
    std::string text_column(const MigrationVersion& version) const;
    std::string text_value(const MigrationVersion& version) const;

    // The journal of a no-transaction run (vidb_migration_progress).
    void start_progress(const MigrationVersion& version, std::string_view name, Direction direction,
        std::string_view checksum, int done, int total);
    void record_progress(const MigrationVersion& version, int done);
    // After a failed statement; never throws (the row keeps its last count then).
    void record_failure(const MigrationVersion& version, int done, const std::string& error,
        const std::vector<std::string>& invalid_indexes) noexcept;
    void forget_progress(const MigrationVersion& version);
    // Sends STATEMENTS (with their semicolons) as one of vidb's own writes while a
    // no-transaction file runs, in one round trip, isolated from the settings the file
    // SET (k_bookkeeping_begin_sql); rolled back if it fails.
    void write_bookkeeping(const std::string& statements);

    // Every write vidb makes to the database while it migrates goes through here: the
    // history's and the applier's. With a script attached (migrate --dry-run --sql) it is
    // added to the script instead of sent, so the script is what vidb would send, made
    // by the very code that sends it. Reads always go to the connection.
    void send(std::string_view sql);
    void set_script(SqlScript* script) { m_script = script; }
    bool scripting() const { return m_script != nullptr; }

    const std::string& table() const { return m_table; }
    const std::string& progress_table() const { return m_progress; }
    const std::string& lock_table() const { return m_lock; }
    const std::string& schema() const { return m_schema; } // never empty
    db::Connection& connection() { return m_connection; }

private:
    std::string qualify(const std::string& name) const;
    std::string regclass_literal(const std::string& name) const;
    // SQL: true when the progress table has the journal columns.
    std::string journal_columns_exist() const;
    // SQL: true when the history table has version_text (read() selects NULL otherwise).
    std::string version_text_exists() const;
    std::string column_exists(const std::string& table, const char* column) const;
    // ALTER TABLE adding them (IF NOT EXISTS), and running it on an older table.
    std::string journal_columns_sql() const;
    void add_journal_columns();
    // SQL: one row (all three tables exist, the journal columns exist, the schema exists,
    // version_text exists in both); tables_complete() reads it: nothing to create or add.
    std::string tables_state_sql() const;
    static bool tables_complete(const db::Result& state);
    // Opens the creating/upgrading transaction under the bootstrap advisory lock; false
    // when, once the lock is held, the tables are complete (another vidb made them).
    // A --sql script gets the BEGIN and the lock, and true.
    bool begin_bootstrap();

    db::Connection& m_connection;
    std::string m_schema;
    std::string m_schema_sql; // quoted where needed
    std::string m_table;
    std::string m_progress;
    std::string m_lock;
    SqlScript* m_script = nullptr;
};

} // namespace vidb::migrate
