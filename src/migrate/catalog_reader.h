#pragma once

#include "db/connection.h"
#include "migrate/objects.h"

#include <vector>

namespace vidb::migrate {

// Reads the user-visible schema from the catalog, through the server's own pg_get_*def
// functions, in one read-only snapshot, and returns it in the order `schema dump` writes
// it: schemas, extensions; then types, sequences, functions, tables, their constraints
// (but foreign keys) and views in dependency order (pg_depend); then sequence ownership,
// indexes, foreign keys, triggers, row level security, policies, comments and grants. Names are schema
// qualified (read with an empty search_path), so the order and the text depend only on
// the schema itself, never on object ids: a database loaded from a dump reads back the same.
// Leaves out system schemas, objects that belong to extensions and (unless asked) vidb's
// own tables. Runs on PostgreSQL 13 and newer.
std::vector<SchemaObject> read_schema(db::Connection& connection, const ReadOptions& options);

} // namespace vidb::migrate
