#pragma once

#include "common/error.h"
#include "migrate/catalog.h"
#include "migrate/history.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vidb::migrate {

enum class State {
    applied, // in the database with the embedded checksum
    pending, // embedded, not applied
    drifted, // applied, but the embedded text changed since
    unknown, // applied, newer than anything this binary carries (a newer build applied it)
    partial, // a no-transaction file stopped part way: an up (not applied) or a down (still applied)
    missing, // applied, not in this binary although it carries newer versions (file deleted?)
    collision, // applied under this version with another name and text: two branches chose it
};

const char* state_name(State state);

// One line of `vidb status`.
struct StatusEntry {
    MigrationVersion version;
    std::string version_text; // as the file spells it (see format_version)
    std::string name; // the embedded file's; for a collision the applied one is applied->name
    State state = State::pending;
    const Migration* migration = nullptr; // null for unknown and missing
    const AppliedMigration* applied = nullptr; // null for pending and a partial up
    const PartialMigration* partial = nullptr; // set for partial (see its direction)
};

std::vector<StatusEntry> compute_status(const Catalog& catalog, const HistorySnapshot& history);

// A version as the files spell it: the embedded file's own text; for an integer version
// this binary lacks, zero-padded to the width the embedded files share (when they share
// one); a dotted one as its text ("17.1").
std::string format_version(const Catalog& catalog, const MigrationVersion& version);

struct MigrateRequest {
    std::optional<MigrationVersion> to;
    bool allow_out_of_order = false;
    // Before the lock is taken a partial migration may be another run's work in
    // progress: note it instead of refusing (the plan made under the lock refuses).
    bool partial_may_be_running = false;
};

struct MigratePlan {
    std::vector<const Migration*> apply; // in order
    std::vector<MigrationVersion> unknown; // applied versions newer than this binary knows
    std::vector<MigrationVersion> missing; // applied versions whose files this binary lacks
    bool partial_seen = false; // only with partial_may_be_running
};

// Refuses (RefusedError) on drift, a version collision, a partial migration or an
// out-of-order pending one;
// UsageError for a --to version this binary does not carry.
MigratePlan plan_migrate(const Catalog& catalog, const HistorySnapshot& history, const MigrateRequest& request);

struct RevertRequest {
    std::optional<int> count; // the last N applied (default 1)
    std::optional<MigrationVersion> to; // revert everything above this version
    bool all = false;
    // Run this build's down SQL even for a migration whose up file changed since it was
    // applied (drifted): the user checked that it undoes what was applied.
    bool allow_drift = false;
    // As for MigrateRequest: before the lock, a partial run may be another vidb's.
    bool partial_may_be_running = false;
};

// Newest first. Refuses (RefusedError) when a migration is partial (up or down), or when
// any migration in the plan is irreversible, unknown to this binary or drifted (unless
// allow_drift), naming it; nothing is reverted then.
std::vector<const Migration*> plan_revert(
    const Catalog& catalog, const HistorySnapshot& history, const RevertRequest& request);

// The refusal for a partial migration: how far it got and the two recoveries.
RefusedError partial_refusal(const StatusEntry& entry);

// "0001_create_projects" for messages.
std::string label(const Migration& migration);

} // namespace vidb::migrate
