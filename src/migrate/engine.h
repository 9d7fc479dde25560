#pragma once

#include "migrate/applier.h"
#include "migrate/catalog.h"
#include "migrate/history.h"
#include "migrate/lock.h"
#include "migrate/planner.h"
#include "migrate/reporter.h"

#include <vector>

namespace vidb::migrate {

struct EngineOptions {
    ApplyOptions apply;
    LockOptions lock;
};

struct MigrateOutcome {
    std::vector<const Migration*> planned; // what was (or, with --dry-run, would be) applied
    std::vector<const Migration*> applied; // what this run applied
    std::vector<std::uint64_t> unknown; // applied versions newer than this binary carries
    std::vector<std::uint64_t> missing; // applied versions whose files this binary lacks
};

// The commands that change the schema: plan first (no lock when nothing is to do),
// then take the migration lock, re-read the history and act.
class Engine {
public:
    Engine(History& history, const Catalog& catalog, Reporter& reporter, EngineOptions options);

    MigrateOutcome migrate(const MigrateRequest& request, bool dry_run);
    std::vector<const Migration*> revert(const RevertRequest& request, bool dry_run);
    // Revert the newest applied migration and apply it again; returns it.
    const Migration* redo();
    // Finish a partial no-transaction migration from where it stopped.
    void repair_resume(std::uint64_t version);
    // Drop the partial record (the statements it ran were undone by hand).
    void repair_forget(std::uint64_t version);

private:
    const PartialMigration& find_partial(const HistorySnapshot& snapshot, std::uint64_t version) const;

    History& m_history;
    const Catalog& m_catalog;
    Reporter& m_reporter;
    EngineOptions m_options;
};

} // namespace vidb::migrate
