#pragma once

#include "db/connection.h"
#include "db/conninfo.h"
#include "db/server_features.h"
#include "migrate/history.h"
#include "selftest/check_result.h"

#include <string>

namespace vidb::selftest {

// What the server said about itself once connected.
struct ServerFacts {
    int version = 0;
    std::string version_text;
    std::string user;
    std::string database;
    bool superuser = false;
    // Writes will fail: a hot standby, or default_transaction_read_only. The reason says which.
    bool read_only = false;
    std::string read_only_reason;
};

ServerFacts read_server_facts(db::Connection& connection);

Outcome check_server_version(const ServerFacts& facts);

// Whether a pooling proxy (PgBouncer and the like) sits between vidb and the server, and
// whether it pools per transaction. Informational: always passes, with a note.
Outcome check_pooler(db::Connection& connection, const db::Conninfo& conninfo);

// What `vidb migrate` needs: CREATE on the history table's schema (or owning it), and
// read/write access to vidb's tables when they exist.
Outcome check_privileges(db::Connection& connection, migrate::History& history, const ServerFacts& facts);

// Indexes left invalid (pg_index.indisvalid false) by a failed CREATE/REINDEX CONCURRENTLY.
Outcome check_invalid_indexes(db::Connection& connection);

} // namespace vidb::selftest
