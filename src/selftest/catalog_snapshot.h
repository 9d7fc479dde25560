#pragma once

#include "db/connection.h"

#include <map>
#include <string>
#include <vector>

namespace vidb::selftest {

// The user-visible schema of a database: "kind name" (e.g. "index public.projects_name_idx")
// mapped to its definition, as migrate::read_schema() reads it (what `vidb schema dump`
// writes and `vidb drift` compares), with each table column as an entry of its own
// ("column public.t.c"). Leaves out system schemas, objects owned by extensions and
// vidb's own tables.
using CatalogSnapshot = std::map<std::string, std::string>;

CatalogSnapshot snapshot_catalog(db::Connection& connection);

// How `after` differs from `before`.
struct SnapshotDiff {
    std::vector<std::string> added; // "index public.x"
    std::vector<std::string> removed;
    std::vector<std::string> changed; // "column public.t.c: was 'text', now 'integer'"

    bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

SnapshotDiff compare_snapshots(const CatalogSnapshot& before, const CatalogSnapshot& after);

// `diff` without what `already` holds (to report only what one step newly caused).
SnapshotDiff subtract(const SnapshotDiff& diff, const SnapshotDiff& already);

// Leaves out the columns, constraints, triggers and policies of a table that is itself
// listed: "table public.t" says it all.
std::vector<std::string> collapse_members(const std::vector<std::string>& keys);

} // namespace vidb::selftest
