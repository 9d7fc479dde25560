#include "migrate/engine.h"

#include "common/error.h"
#include "db/interrupt.h"

#include <algorithm>

namespace vidb::migrate {

namespace {

LockWaitReporter wait_reporter(Reporter& reporter)
{
    return [&reporter](const std::string& holder, const std::string& since, double silent_for) {
        reporter.waiting_for_lock(holder, since, silent_for);
    };
}

} // namespace

Engine::Engine(History& history, const Catalog& catalog, Reporter& reporter, EngineOptions options)
    : m_history(history)
    , m_catalog(catalog)
    , m_reporter(reporter)
    , m_options(std::move(options))
{
}

MigrateOutcome Engine::migrate(const MigrateRequest& request, bool dry_run)
{
    MigrateOutcome outcome;
    // Plan before any lock: a fleet of up-to-date containers never queues up.
    MigrateRequest optimistic = request;
    optimistic.partial_may_be_running = !dry_run;
    MigratePlan plan = plan_migrate(m_catalog, m_history.read(), optimistic);
    refuse_unrunnable(plan.apply, Direction::up);
    outcome.unknown = plan.unknown;
    outcome.missing = plan.missing;
    outcome.planned = plan.apply;
    if ((plan.apply.empty() && !plan.partial_seen) || dry_run) {
        return outcome;
    }
    m_history.ensure();
    MigrationLock lock(m_history, m_options.lock);
    lock.acquire(wait_reporter(m_reporter));
    // Another process may have applied some while we waited.
    plan = plan_migrate(m_catalog, m_history.read(), request);
    refuse_unrunnable(plan.apply, Direction::up);
    outcome.unknown = plan.unknown;
    outcome.missing = plan.missing;
    outcome.planned = plan.apply;
    Applier applier(m_history, m_reporter, m_options.apply);
    for (const Migration* migration : plan.apply) {
        db::throw_if_interrupted("stopped before " + label(*migration));
        if (!lock.still_held()) {
            throw Error(ExitCode::failure,
                "lost the migration lock (another vidb presumed this one dead); stopped before " + label(*migration)
                    + ", run vidb migrate again");
        }
        if (applier.apply(*migration) == ApplyResult::done) {
            outcome.applied.push_back(migration);
        }
    }
    lock.release();
    return outcome;
}

std::vector<const Migration*> Engine::revert(const RevertRequest& request, bool dry_run)
{
    auto plan = plan_revert(m_catalog, m_history.read(), request);
    refuse_unrunnable(plan, Direction::down);
    if (plan.empty() || dry_run) {
        return plan;
    }
    m_history.ensure();
    MigrationLock lock(m_history, m_options.lock);
    lock.acquire(wait_reporter(m_reporter));
    plan = plan_revert(m_catalog, m_history.read(), request);
    Applier applier(m_history, m_reporter, m_options.apply);
    for (const Migration* migration : plan) {
        db::throw_if_interrupted("stopped before reverting " + label(*migration));
        applier.revert(*migration);
    }
    lock.release();
    return plan;
}

const Migration* Engine::redo()
{
    const auto snapshot = m_history.read();
    auto plan = plan_revert(m_catalog, snapshot, RevertRequest { .count = 1, .to = std::nullopt, .all = false });
    if (plan.empty()) {
        throw Error(ExitCode::failure, "nothing to redo: no migration is applied");
    }
    refuse_unrunnable(plan, Direction::down);
    refuse_unrunnable(plan, Direction::up);
    m_history.ensure();
    MigrationLock lock(m_history, m_options.lock);
    lock.acquire(wait_reporter(m_reporter));
    plan = plan_revert(m_catalog, m_history.read(), RevertRequest { .count = 1, .to = std::nullopt, .all = false });
    if (plan.empty()) {
        throw Error(ExitCode::failure, "nothing to redo: no migration is applied");
    }
    Applier applier(m_history, m_reporter, m_options.apply);
    applier.revert(*plan.front());
    db::throw_if_interrupted("reverted " + label(*plan.front()) + " but did not apply it again; run vidb migrate");
    applier.apply(*plan.front());
    lock.release();
    return plan.front();
}

const PartialMigration& Engine::find_partial(const HistorySnapshot& snapshot, std::uint64_t version) const
{
    const auto it = std::find_if(snapshot.partial.begin(), snapshot.partial.end(),
        [&](const PartialMigration& p) { return p.version == version; });
    if (it == snapshot.partial.end()) {
        throw UsageError("migration " + std::to_string(version) + " is not partially applied (see vidb status)");
    }
    return *it;
}

void Engine::repair_resume(std::uint64_t version)
{
    const Migration* migration = m_catalog.find(version);
    if (migration == nullptr) {
        throw UsageError("migration " + std::to_string(version) + " is not in this binary (see vidb list)");
    }
    refuse_unrunnable(std::span(&migration, 1), Direction::up);
    m_history.ensure();
    MigrationLock lock(m_history, m_options.lock);
    lock.acquire(wait_reporter(m_reporter));
    const auto snapshot = m_history.read();
    const PartialMigration& partial = find_partial(snapshot, version);
    Applier applier(m_history, m_reporter, m_options.apply);
    m_reporter.note("resuming " + label(*migration) + " after statement " + std::to_string(partial.statements_done)
        + " of " + std::to_string(partial.statements_total));
    applier.resume(*migration, partial.statements_done);
    lock.release();
}

void Engine::repair_forget(std::uint64_t version)
{
    m_history.ensure();
    MigrationLock lock(m_history, m_options.lock);
    lock.acquire(wait_reporter(m_reporter));
    const auto snapshot = m_history.read();
    find_partial(snapshot, version);
    m_history.connection().exec(
        "DELETE FROM " + m_history.progress_table() + " WHERE version = " + std::to_string(version));
    m_reporter.note(
        "forgot the partial run of migration " + std::to_string(version) + "; vidb migrate will run it from the start");
    lock.release();
}

} // namespace vidb::migrate
