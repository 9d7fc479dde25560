#pragma once

#include "migrate/applier.h"
#include "migrate/catalog.h"
#include "migrate/history.h"
#include "migrate/lock.h"
#include "migrate/planner.h"
#include "migrate/repeatable.h"
#include "migrate/reporter.h"

#include <functional>
#include <vector>

namespace vidb::migrate {

struct EngineOptions {
    ApplyOptions apply;
    LockOptions lock;
};

struct MigrateOutcome {
    std::vector<const Migration*> planned; // what was (or, with --dry-run, would be) applied
    std::vector<const Migration*> applied; // what this run applied
    std::vector<MigrationVersion> unknown; // applied versions newer than this binary carries
    std::vector<MigrationVersion> missing; // applied versions whose files this binary lacks
    // Repeatable migrations pending or changed (not with --to: they follow the newest
    // schema), and those this run applied, after the versioned ones.
    std::vector<const Repeatable*> repeatables_planned;
    std::vector<const Repeatable*> repeatables_applied;
};

// `repair V --accept-checksum`: the checksum recorded before and after.
struct AcceptedChecksum {
    std::string old_checksum;
    std::string new_checksum;
};

// The commands that change the schema: plan first (no lock when nothing is to do),
// then act inside one locked section (see locked()).
class Engine {
public:
    Engine(History& history, const Catalog& catalog, Reporter& reporter, EngineOptions options);

    MigrateOutcome migrate(const MigrateRequest& request, bool dry_run);
    std::vector<const Migration*> revert(const RevertRequest& request, bool dry_run);
    // --dry-run --sql: plans as the dry run does, then lets the applier run the plan with
    // `script` attached to the history (History::send), so that `script` receives the
    // strings a real run sends, in order (vidb's tables when they are missing, each
    // migration with its history and journal writes), and the database receives none.
    // Left out: the migration lock (a script run by psql holds none) and the checks that
    // read what a statement did. Use a SilentReporter: nothing runs.
    MigrateOutcome migrate_script(const MigrateRequest& request, SqlScript& script);
    std::vector<const Migration*> revert_script(const RevertRequest& request, SqlScript& script);
    // Revert the newest applied migration and apply it again; returns it.
    const Migration* redo(bool allow_drift = false);
    // Finish a partial no-transaction run (up: apply the rest; down: revert the rest)
    // from where it stopped, if it is the same file and left no INVALID index.
    void repair_resume(const MigrationVersion& version);
    // Drop the partial record. Up: the statements it ran were undone by hand, so it is
    // pending again. Down: what it undid was redone by hand, so it stays applied.
    void repair_forget(const MigrationVersion& version);
    // Record this build's checksum for a drifted applied migration (a deliberate edit).
    AcceptedChecksum repair_accept_checksum(const MigrationVersion& version);

    // Throws when the run must stop before `next_step`: a signal arrived, or another
    // vidb took the lock over (this one was presumed dead).
    using Checkpoint = std::function<void(const std::string& next_step)>;
    // The one locked section every changing command runs in: create vidb's tables, take
    // the lock, re-read the history (another run may have acted while we waited) and
    // hand it to `body` with a checkpoint to call before every step. The lock is
    // released on every path: return, refusal, SQL error, lost connection, signal.
    // Public for the commands that write history rows without running SQL (adopt.h).
    void locked(const std::function<void(const HistorySnapshot&, const Checkpoint&)>& body);

private:
    const PartialMigration& find_partial(const HistorySnapshot& snapshot, const MigrationVersion& version) const;
    // Refuses a resume of a changed file or past an INVALID index the run left.
    void check_resumable(const Migration& migration, const PartialMigration& partial);

    History& m_history;
    const Catalog& m_catalog;
    Reporter& m_reporter;
    EngineOptions m_options;
};

} // namespace vidb::migrate
