#pragma once

#include "db/connection.h"
#include "migrate/file_name.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// A row of vidb_schema_migrations.
struct AppliedMigration {
    std::uint64_t version = 0;
    std::string name;
    std::string checksum;
    std::string applied_at;
    std::optional<long long> execution_ms;
    std::string applied_by;
};

// A `-- vidb:no-transaction` file (up or down) that stopped part way: its row in
// vidb_migration_progress, the journal of a statement-by-statement run.
struct PartialMigration {
    std::uint64_t version = 0;
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
    std::vector<AppliedMigration> applied; // ascending version
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
    // versions use to an older progress table; concurrent callers are serialised.
    void ensure();

    // The journal of a no-transaction run (vidb_migration_progress).
    void start_progress(std::uint64_t version, std::string_view name, Direction direction, std::string_view checksum,
        int done, int total);
    void record_progress(std::uint64_t version, int done);
    // After a failed statement; never throws (the row keeps its last count then).
    void record_failure(std::uint64_t version, int done, const std::string& error,
        const std::vector<std::string>& invalid_indexes) noexcept;
    void forget_progress(std::uint64_t version);
    // Sends STATEMENTS (with their semicolons) as one of vidb's own writes while a
    // no-transaction file runs, in one round trip, isolated from the settings the file
    // SET (k_bookkeeping_begin_sql); rolled back if it fails.
    void write_bookkeeping(const std::string& statements);

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
    // ALTER TABLE adding them (IF NOT EXISTS), and running it on an older table.
    std::string journal_columns_sql() const;
    void add_journal_columns();

    db::Connection& m_connection;
    std::string m_schema;
    std::string m_schema_sql; // quoted where needed
    std::string m_table;
    std::string m_progress;
    std::string m_lock;
};

} // namespace vidb::migrate
