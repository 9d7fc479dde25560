#pragma once

#include "db/connection.h"

#include <cstdint>
#include <optional>
#include <string>
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

// A `-- vidb:no-transaction` migration that stopped part way (vidb_migration_progress).
struct PartialMigration {
    std::uint64_t version = 0;
    std::string name;
    int statements_done = 0;
    int statements_total = 0;
    std::string last_error;
    std::string updated_at;
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
    // Creates the schema and tables when missing; concurrent callers are serialised.
    void ensure();

    const std::string& table() const { return m_table; }
    const std::string& progress_table() const { return m_progress; }
    const std::string& lock_table() const { return m_lock; }
    const std::string& schema() const { return m_schema; } // never empty
    db::Connection& connection() { return m_connection; }

private:
    std::string qualify(const std::string& name) const;
    std::string regclass_literal(const std::string& name) const;

    db::Connection& m_connection;
    std::string m_schema;
    std::string m_schema_sql; // quoted where needed
    std::string m_table;
    std::string m_progress;
    std::string m_lock;
};

} // namespace vidb::migrate
