#pragma once

#include "migrate/applier.h"
#include "migrate/catalog.h"
#include "migrate/history.h"
#include "migrate/reporter.h"

#include <optional>
#include <string>
#include <vector>

namespace vidb::migrate {

// Repeatable migrations (Flyway's R__<name>.sql, vidb's <name>.repeatable.sql): applied
// after the versioned ones, in name order, again whenever the file's checksum differs from
// the one recorded, each in its own transaction together with its row in
// vidb_repeatable_migrations(name, checksum, applied_at, execution_ms, applied_by), a table
// beside the history (versionless, so not in vidb_schema_migrations), created on first use.

enum class RepeatableState {
    applied, // recorded with this build's checksum
    pending, // never applied
    changed, // applied, the file changed since: `migrate` applies it again
};
const char* repeatable_state_name(RepeatableState state);

struct RepeatableStatus {
    const Repeatable* repeatable = nullptr;
    RepeatableState state = RepeatableState::pending;
    std::string applied_checksum; // empty when pending
    std::string applied_at;
};

// "<schema>.vidb_repeatable_migrations", quoted as needed.
std::string repeatable_table(const History& history);

// Every repeatable of the catalog with its state, read without changing anything.
std::vector<RepeatableStatus> repeatable_status(History& history, const Catalog& catalog);

// Those to apply (pending or changed), in name order.
std::vector<const Repeatable*> repeatables_to_apply(const std::vector<RepeatableStatus>& status);

// Refuses (exit 4, nothing changed) when one of them cannot run (see Repeatable::problem).
void refuse_unrunnable(const std::vector<const Repeatable*>& repeatables);

// The same Migration-shaped label the reporter prints: R__<name>.
Migration repeatable_as_migration(const Repeatable& repeatable);

// Forgets every repeatable applied (deletes the rows), so the next migrate applies them all
// again: a revert may have dropped what they built (a view over a dropped table goes with
// it, CASCADE), and applying a repeatable again is harmless by definition.
void forget_repeatables(History& history);

// Creates vidb_repeatable_migrations when missing (under the migration lock).
void ensure_repeatable_table(History& history);

// Applies one: BEGIN, the file, its row (inserted or updated), COMMIT in one round trip.
// Throws MigrationError naming the file and line when the SQL fails (nothing of it stays).
void apply_repeatable(History& history, const Repeatable& repeatable, const ApplyOptions& options, Reporter& reporter);

} // namespace vidb::migrate
