#pragma once

#include "db/connection.h"
#include "migrate/catalog.h"
#include "migrate/history.h"

#include <string>

namespace vidb::localdb {

// What `vidb reset` is about to destroy, and whether it may drop the database.
struct DatabaseSummary {
    std::string database;
    std::string host; // "127.0.0.1:5432" or the socket directory
    std::string owner;
    int server_version = 0;
    migrate::HistorySnapshot history; // read once, for the summary and reset's plan
    long long applied = 0; // rows in the history table
    long long tables = 0; // tables outside the system schemas
    // Superuser, or CREATEDB and the owner's privileges: DROP and CREATE DATABASE work.
    bool can_recreate = false;
    std::string cannot_recreate_because;
};

DatabaseSummary summarize_database(db::Connection& connection, const std::string& history_schema);

// When reset cannot drop the database it reverts every applied migration and applies
// them again. Checked before anything changes, so that a refusal (exit 4) leaves the
// database as it was: every history entry must be applied and carried by this binary
// with its checksum and a down file (no partial, drifted or unknown one), and the
// migrate plan after the reverts must be valid. Throws RefusedError naming each problem.
void check_can_revert_all(const migrate::Catalog& catalog, const migrate::HistorySnapshot& history);

// Drops the database (ending its other sessions: WITH (FORCE) on PostgreSQL 13+,
// pg_terminate_backend before) and creates it again, empty, for the same owner.
// `maintenance` is connected to another database of the same server.
void recreate_database(db::Connection& maintenance, const DatabaseSummary& summary);

} // namespace vidb::localdb
