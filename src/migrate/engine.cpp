#include "migrate/engine.h"

#include "common/error.h"
#include "db/interrupt.h"
#include "migrate/invalid_index.h"

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

void Engine::locked(const std::function<void(const HistorySnapshot&, const Checkpoint&)>& body)
{
    m_history.ensure();
    MigrationLock lock(m_history, m_options.lock); // its destructor releases on every path
    lock.acquire(wait_reporter(m_reporter));
    const Checkpoint checkpoint = [&lock](const std::string& next_step) {
        db::throw_if_interrupted("stopped before " + next_step);
        if (!lock.still_held()) {
            throw Error(ExitCode::failure,
                "lost the migration lock: another vidb took it over (it presumed this one dead after "
                "VIDB_LOCK_STALE_AFTER without a heartbeat); stopped before "
                    + next_step,
                { "what ran before this point stays done; vidb status shows where it stopped",
                    "run the command again once the other vidb is finished" });
        }
    };
    checkpoint("reading the history");
    const HistorySnapshot snapshot = m_history.read();
    body(snapshot, checkpoint);
    lock.release();
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
    if (!request.to) {
        outcome.repeatables_planned = repeatables_to_apply(repeatable_status(m_history, m_catalog));
        refuse_unrunnable(outcome.repeatables_planned);
    }
    if ((plan.apply.empty() && !plan.partial_seen && outcome.repeatables_planned.empty()) || dry_run) {
        return outcome;
    }
    locked([&](const HistorySnapshot& history, const Checkpoint& checkpoint) {
        plan = plan_migrate(m_catalog, history, request);
        refuse_unrunnable(plan.apply, Direction::up);
        outcome.unknown = plan.unknown;
        outcome.missing = plan.missing;
        outcome.planned = plan.apply;
        Applier applier(m_history, m_reporter, m_options.apply);
        applier.set_checkpoint(checkpoint);
        for (const Migration* migration : plan.apply) {
            checkpoint(label(*migration));
            if (applier.apply(*migration) == ApplyResult::done) {
                outcome.applied.push_back(migration);
            }
        }
        if (request.to) {
            return;
        }
        // After every versioned migration, as Flyway orders them; read again under the lock.
        outcome.repeatables_planned = repeatables_to_apply(repeatable_status(m_history, m_catalog));
        refuse_unrunnable(outcome.repeatables_planned);
        if (!outcome.repeatables_planned.empty()) {
            ensure_repeatable_table(m_history);
        }
        for (const Repeatable* repeatable : outcome.repeatables_planned) {
            checkpoint("R__" + std::string(repeatable->name));
            apply_repeatable(m_history, *repeatable, m_options.apply, m_reporter);
            outcome.repeatables_applied.push_back(repeatable);
        }
    });
    return outcome;
}

namespace {

// Attaches a script to the history for one scope.
class Scripting {
public:
    Scripting(History& history, SqlScript& script)
        : m_history(history)
    {
        m_history.set_script(&script);
    }
    Scripting(const Scripting&) = delete;
    Scripting& operator=(const Scripting&) = delete;
    ~Scripting() { m_history.set_script(nullptr); }

private:
    History& m_history;
};

} // namespace

MigrateOutcome Engine::migrate_script(const MigrateRequest& request, SqlScript& script)
{
    MigrateOutcome outcome = migrate(request, true);
    Scripting scripting(m_history, script);
    m_history.ensure();
    Applier applier(m_history, m_reporter, m_options.apply);
    for (const Migration* migration : outcome.planned) {
        script.comment(std::string(migration->up_file)
            + (migration->up_no_transaction ? " (no transaction: statement by statement, journaled)" : ""));
        applier.apply(*migration);
    }
    return outcome;
}

std::vector<const Migration*> Engine::revert_script(const RevertRequest& request, SqlScript& script)
{
    const auto plan = revert(request, true);
    Scripting scripting(m_history, script);
    m_history.ensure();
    Applier applier(m_history, m_reporter, m_options.apply);
    for (const Migration* migration : plan) {
        script.comment(std::string(migration->down_file)
            + (migration->down_no_transaction ? " (no transaction: statement by statement, journaled)" : ""));
        applier.revert(*migration);
    }
    return plan;
}

std::vector<const Migration*> Engine::revert(const RevertRequest& request, bool dry_run)
{
    RevertRequest optimistic = request;
    optimistic.partial_may_be_running = !dry_run;
    const HistorySnapshot before = m_history.read();
    auto plan = plan_revert(m_catalog, before, optimistic);
    refuse_unrunnable(plan, Direction::down);
    if ((plan.empty() && before.partial.empty()) || dry_run) {
        return plan;
    }
    locked([&](const HistorySnapshot& history, const Checkpoint& checkpoint) {
        plan = plan_revert(m_catalog, history, request);
        refuse_unrunnable(plan, Direction::down);
        Applier applier(m_history, m_reporter, m_options.apply);
        applier.set_checkpoint(checkpoint);
        if (!plan.empty()) {
            forget_repeatables(m_history); // the next migrate applies them again
        }
        for (const Migration* migration : plan) {
            checkpoint("reverting " + label(*migration));
            applier.revert(*migration);
        }
    });
    return plan;
}

const Migration* Engine::redo(bool allow_drift)
{
    RevertRequest newest { .count = 1, .to = std::nullopt, .all = false, .allow_drift = allow_drift };
    RevertRequest optimistic = newest;
    optimistic.partial_may_be_running = true;
    const HistorySnapshot before = m_history.read();
    const auto planned = plan_revert(m_catalog, before, optimistic);
    if (planned.empty() && before.partial.empty()) {
        throw Error(ExitCode::failure, "nothing to redo: no migration is applied");
    }
    refuse_unrunnable(planned, Direction::down);
    refuse_unrunnable(planned, Direction::up);
    const Migration* redone = nullptr;
    locked([&](const HistorySnapshot& history, const Checkpoint& checkpoint) {
        const auto plan = plan_revert(m_catalog, history, newest);
        if (plan.empty()) {
            throw Error(ExitCode::failure, "nothing to redo: no migration is applied");
        }
        refuse_unrunnable(plan, Direction::down);
        refuse_unrunnable(plan, Direction::up);
        redone = plan.front();
        Applier applier(m_history, m_reporter, m_options.apply);
        applier.set_checkpoint(checkpoint);
        checkpoint("reverting " + label(*redone));
        forget_repeatables(m_history); // the next migrate applies them again
        applier.revert(*redone);
        checkpoint("applying " + label(*redone) + " again (it is reverted now; vidb migrate applies it)");
        applier.apply(*redone);
    });
    return redone;
}

const PartialMigration& Engine::find_partial(const HistorySnapshot& snapshot, const MigrationVersion& version) const
{
    const auto it = std::find_if(snapshot.partial.begin(), snapshot.partial.end(),
        [&](const PartialMigration& p) { return p.version == version; });
    if (it == snapshot.partial.end()) {
        throw UsageError("migration " + version.argument() + " is not partially applied or reverted (see vidb status)");
    }
    return *it;
}

void Engine::check_resumable(const Migration& migration, const PartialMigration& partial)
{
    const Direction direction = partial.direction;
    const std::string version = migration.version.argument();
    const std::string_view file = direction == Direction::up ? migration.up_file : migration.down_file;
    const std::string forget = "or undo by hand what it did and: vidb repair " + version + " --forget";
    if (direction == Direction::up && !migration.up_no_transaction) {
        throw RefusedError("cannot resume " + label(migration)
                + ": this build's up file is not the no-transaction file that started it; nothing was changed",
            { "run vidb repair " + version + " --resume with the build that started it, " + forget });
    }
    if (direction == Direction::down && (!migration.has_down || !migration.down_no_transaction)) {
        throw RefusedError("cannot resume the revert of " + label(migration)
                + ": this build's down file is not the no-transaction file that started it; nothing was changed",
            { "run vidb repair " + version + " --resume with the build that started the revert, " + forget });
    }
    const std::string current = run_checksum(migration, direction);
    const auto statements = executable_statements(migration, direction);
    const int total = static_cast<int>(statements.size());
    if (!partial.checksum.empty() && partial.checksum != current) {
        throw RefusedError("refusing to resume " + label(migration) + ": " + std::string(file)
                + " changed since the run that stopped (started with " + partial.checksum.substr(0, 12)
                + ", this build has " + current.substr(0, 12) + "); nothing was changed",
            { "the run that stopped executed " + std::to_string(partial.statements_done) + " of "
                    + std::to_string(partial.statements_total) + " statements of the file with checksum "
                    + partial.checksum,
                "this build's " + std::string(file) + " has checksum " + current + ": continuing it at statement "
                    + std::to_string(partial.statements_done + 1) + " could skip or repeat statements",
                "resume with the build that started it (restore the file and rebuild), " + forget });
    }
    if (!partial.checksum.empty() && partial.statements_total != total) {
        // The same file cut into statements differently (a vidb before goose blocks were one
        // statement): statement N of that run is not statement N of this one.
        throw RefusedError("refusing to resume " + label(migration) + ": the run that stopped counted "
                + std::to_string(partial.statements_total) + " statements in " + std::string(file)
                + ", this vidb counts " + std::to_string(total)
                + " (another vidb version cut the same file differently); nothing was changed",
            { "continuing it at statement " + std::to_string(partial.statements_done + 1)
                    + " could skip or repeat statements",
                "resume with the vidb that started it, " + forget });
    }
    if (partial.checksum.empty()) {
        // A row written by an older vidb, which recorded no checksum: the statement
        // count is the only evidence that this is the same file.
        if (partial.statements_total != total) {
            throw RefusedError("refusing to resume " + label(migration) + ": its partial record (written by an "
                    + "older vidb, without a checksum) counts " + std::to_string(partial.statements_total)
                    + " statements, this build's " + std::string(file) + " has " + std::to_string(total)
                    + "; the file changed; nothing was changed",
                { "resume with the build that started it, " + forget });
        }
        m_reporter.note("note: the partial record of " + label(migration)
            + " has no checksum (written by an older vidb); resuming because its statement count matches ("
            + std::to_string(total) + ")");
    }
    std::optional<CreatedIndex> created;
    if (partial.statements_done < total) {
        created = created_index(statements[static_cast<std::size_t>(partial.statements_done)].text);
    }
    const auto invalid = still_invalid(m_history.connection(), partial.invalid_indexes, created);
    if (!invalid.empty()) {
        std::vector<std::string> details;
        for (const auto& name : invalid) {
            details.push_back("drop it first: " + drop_statement(name));
        }
        details.push_back("then run: vidb repair " + version + " --resume");
        throw RefusedError("refusing to resume " + label(migration) + ": statement "
                + std::to_string(partial.statements_done + 1) + " left the INVALID index " + invalid.front()
                + (invalid.size() > 1 ? " (and " + std::to_string(invalid.size() - 1) + " more)" : "")
                + ", which IF NOT EXISTS would skip and a rerun would trip over; nothing was changed",
            details);
    }
}

void Engine::repair_resume(const MigrationVersion& version)
{
    const Migration* migration = m_catalog.find(version);
    if (migration == nullptr) {
        throw UsageError("migration " + version.argument() + " is not in this binary (see vidb list)");
    }
    locked([&](const HistorySnapshot& history, const Checkpoint& checkpoint) {
        const PartialMigration& partial = find_partial(history, version);
        refuse_unrunnable(std::span(&migration, 1), partial.direction);
        check_resumable(*migration, partial);
        checkpoint("resuming " + label(*migration));
        m_reporter.note(std::string(partial.direction == Direction::up ? "resuming " : "resuming the revert of ")
            + label(*migration) + " after statement " + std::to_string(partial.statements_done) + " of "
            + std::to_string(partial.statements_total));
        Applier applier(m_history, m_reporter, m_options.apply);
        applier.set_checkpoint(checkpoint);
        applier.resume(*migration, partial.direction, partial.statements_done);
    });
}

void Engine::repair_forget(const MigrationVersion& version)
{
    locked([&](const HistorySnapshot& history, const Checkpoint& checkpoint) {
        const PartialMigration& partial = find_partial(history, version);
        checkpoint("forgetting the partial run of migration " + version.argument());
        m_history.forget_progress(version);
        if (partial.direction == Direction::up) {
            m_reporter.note("forgot the partial run of migration " + version.argument()
                + "; vidb migrate will run it from the start");
        } else {
            m_reporter.note("forgot the partial revert of migration " + version.argument()
                + "; it stays applied (vidb revert would run its down from the start)");
        }
    });
}

AcceptedChecksum Engine::repair_accept_checksum(const MigrationVersion& version)
{
    const Migration* migration = m_catalog.find(version);
    if (migration == nullptr) {
        throw UsageError("migration " + version.argument() + " is not in this binary (see vidb list)");
    }
    AcceptedChecksum accepted;
    locked([&](const HistorySnapshot& history, const Checkpoint& checkpoint) {
        for (const StatusEntry& entry : compute_status(m_catalog, history)) {
            if (entry.version != version) {
                continue;
            }
            if (entry.state == State::partial) {
                throw partial_refusal(entry);
            }
            if (entry.state != State::drifted) {
                throw UsageError(label(*migration) + " is " + state_name(entry.state)
                    + ", not drifted: there is no changed checksum to accept (see vidb status)");
            }
            accepted.old_checksum = entry.applied->checksum;
            accepted.new_checksum = std::string(migration->checksum);
        }
        checkpoint("recording the new checksum of " + label(*migration));
        m_history.connection().exec_params("UPDATE " + m_history.table()
                + " SET checksum = $1 WHERE version = " + std::to_string(version.key()) + " AND checksum = $2",
            { accepted.new_checksum, accepted.old_checksum });
    });
    return accepted;
}

} // namespace vidb::migrate
