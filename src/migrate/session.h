#pragma once

#include "db/connection.h"
#include "db/error.h"

#include <string>
#include <vector>

namespace vidb::migrate {

// The schema vidb's own tables live in: `requested` (--schema / VIDB_SCHEMA) when given,
// else the connection's current_schema(), read once right after connecting. vidb then
// names its tables with this schema in every statement, so a migration that changes
// search_path (pg_dump baselines set it to '') cannot move or hide them.
// Throws Error when search_path names no existing schema.
struct SchemaName {
    std::string name; // as stored in pg_namespace
    std::string sql; // as quote_ident() spells it: quoted only when it must be
};
SchemaName resolve_schema(db::Connection& connection, const std::string& requested);

// Returns the session to the settings it had when vidb connected, undoing whatever a
// migration SET: search_path, statement_timeout, session_replication_role,
// default_transaction_read_only, ... (RESET ALL) and SET ROLE / SET SESSION
// AUTHORIZATION, which RESET ALL leaves alone. Settings from the connection string,
// the role and the database are kept: they are the session's defaults. vidb sends it
// inside the migration's own transaction, before its history write: through a
// transaction-pooling PgBouncer (where DISCARD ALL cannot run) that is the one place
// certain to reach the server connection the migration changed.
inline constexpr const char* k_session_reset_sql = "RESET ALL;\nSET SESSION AUTHORIZATION DEFAULT;\nRESET ROLE;\n";

// Opens the transaction of one of vidb's own bookkeeping writes made while a
// no-transaction file runs (its progress journal, its final history row), so that what the
// file's statements SET for the rest of the file cannot stop the write: SET ROLE or SET
// SESSION AUTHORIZATION to a role with no rights on vidb's tables, a read-only default,
// a statement or lock timeout, a serializable default. All of it is LOCAL: the file's
// next statement still sees its own settings. Close with COMMIT.
inline constexpr const char* k_bookkeeping_begin_sql
    = "BEGIN ISOLATION LEVEL READ COMMITTED, READ WRITE;\nSET LOCAL SESSION AUTHORIZATION DEFAULT;\n"
      "SET LOCAL ROLE NONE;\nSET LOCAL statement_timeout = 0;\nSET LOCAL lock_timeout = 0;\n";

// What makes this session read-only and the statement that fixes it: a hot standby,
// default_transaction_read_only from the database, the role, the connection or the server.
std::string read_only_fix(db::Connection& connection);

// Detail lines for a failure that comes from a missing privilege (42501) or a read-only
// session (25006): what vidb was doing, the SQLSTATE and the GRANT or setting that fixes
// it. Empty for other errors. `doing` reads like "creating its history table".
// Rolls back a failed transaction on `connection` first (it queries the server).
std::vector<std::string> privilege_advice(
    db::Connection& connection, const db::SqlError& error, const std::string& doing, const std::string& schema);

} // namespace vidb::migrate
