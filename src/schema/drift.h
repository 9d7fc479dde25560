#pragma once

#include "db/connection.h"
#include "db/conninfo.h"
#include "migrate/catalog.h"
#include "migrate/objects.h"

#include <string>
#include <vector>

namespace vidb::schema {

// The catalog reader lives in migrate (selftest --roundtrip reads the catalog with it too).
using migrate::ReadOptions;
using migrate::SchemaObject;

// One difference between the database and what its migrations build. A side that lacks
// the object has an empty text.
struct DriftItem {
    std::string kind; // "index", "column", "constraint", ...
    std::string name; // public.t.c for a column
    std::string database; // its definition in the target database
    std::string migrations; // its definition where the migrations were applied
};

struct DriftReport {
    std::vector<DriftItem> only_in_database; // made by hand (an index added in an incident)
    std::vector<DriftItem> only_in_migrations; // dropped or never made by hand
    std::vector<DriftItem> different; // a changed column type or default, constraint, ...
    std::size_t compared = 0; // objects in the database
    std::size_t migrations_applied = 0; // how many migrations built the comparison
    bool history_table = true; // false: the target has no history table (where vidb looked)
    std::string history_where; // that table, e.g. public.vidb_schema_migrations
    std::vector<migrate::MigrationVersion> not_applied; // carried by this binary, not applied to the target: left out

    bool matches() const { return only_in_database.empty() && only_in_migrations.empty() && different.empty(); }
};

// Compares two readings (read_schema) object by object; a table on both sides is
// compared column by column, so the column that differs is named.
DriftReport compare_schemas(const std::vector<SchemaObject>& database, const std::vector<SchemaObject>& migrations);

// vidb drift: applies, in a scratch database on the target's server, the migrations the
// target's history lists as applied (those this binary carries), reads both schemas and
// compares them. The scratch database is always dropped. `history_schema` is the schema
// of vidb's history table ("" = default).
DriftReport check_drift(db::Connection& target, const db::Conninfo& conninfo, const migrate::Catalog& catalog,
    const std::string& history_schema);

} // namespace vidb::schema
