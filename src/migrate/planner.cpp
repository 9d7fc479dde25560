#include "migrate/planner.h"

#include "common/error.h"

#include <algorithm>
#include <map>

namespace vidb::migrate {

const char* state_name(State state)
{
    switch (state) {
    case State::applied:
        return "applied";
    case State::pending:
        return "pending";
    case State::drifted:
        return "drifted";
    case State::unknown:
        return "unknown";
    case State::partial:
        return "partial";
    case State::missing:
        return "missing";
    case State::collision:
        return "collision";
    }
    return "?";
}

std::string format_version(const Catalog& catalog, const MigrationVersion& version)
{
    if (const Migration* migration = catalog.find(version)) {
        return std::string(migration->version_text);
    }
    if (!version.is_integer()) {
        return version.text();
    }
    std::size_t width = 0;
    for (const Migration& migration : catalog.migrations()) {
        if (width != 0 && migration.version_text.size() != width) {
            width = 0; // the files disagree: no padding to copy
            break;
        }
        width = migration.version_text.size();
    }
    std::string text = std::to_string(version.key());
    return text.size() < width ? std::string(width - text.size(), '0') + text : text;
}

namespace {

// A free version after NEWEST for a renamed file: the next integers, or (dotted) the next
// number of its first part.
std::string suggested_version(const Catalog& catalog, const MigrationVersion& newest, std::size_t offset)
{
    if (newest.is_integer()) {
        return format_version(
            catalog, MigrationVersion::of_integer(static_cast<std::uint64_t>(newest.key()) + 1 + offset));
    }
    const std::string first = newest.text().substr(0, newest.text().find('.'));
    return first.size() < 18 ? std::to_string(std::stoull(first) + 1 + offset) : newest.text() + ".1";
}

} // namespace

std::string label(const Migration& migration)
{
    return std::string(migration.version_text) + "_" + std::string(migration.name);
}

std::vector<StatusEntry> compute_status(const Catalog& catalog, const HistorySnapshot& history)
{
    std::map<MigrationVersion, StatusEntry> entries;
    const MigrationVersion newest_embedded
        = catalog.migrations().empty() ? MigrationVersion() : catalog.migrations().back().version;
    for (const Migration& migration : catalog.migrations()) {
        StatusEntry& entry = entries[migration.version];
        entry.version = migration.version;
        entry.name = std::string(migration.name);
        entry.migration = &migration;
        entry.state = State::pending;
    }
    for (const AppliedMigration& applied : history.applied) {
        StatusEntry& entry = entries[applied.version];
        entry.version = applied.version;
        entry.applied = &applied;
        if (entry.migration == nullptr) {
            entry.name = applied.name;
            entry.state = applied.version > newest_embedded ? State::unknown : State::missing;
        } else if (applied.checksum == entry.migration->checksum) {
            entry.state = State::applied; // also when only the name part was renamed
        } else {
            // Another name and another text under one version: not an edit but two files
            // (from two branches) that chose the same number.
            entry.state = applied.name == entry.migration->name ? State::drifted : State::collision;
        }
    }
    for (const PartialMigration& partial : history.partial) {
        StatusEntry& entry = entries[partial.version];
        entry.version = partial.version;
        if (entry.name.empty()) {
            entry.name = partial.name;
        }
        // An up stops before its history row exists; a down stops while it still
        // exists. Either way the migration is neither applied nor reverted.
        if (entry.applied == nullptr || partial.direction == Direction::down) {
            entry.partial = &partial;
            entry.state = State::partial;
        }
    }
    std::vector<StatusEntry> result;
    result.reserve(entries.size());
    for (auto& [version, entry] : entries) {
        entry.version_text = format_version(catalog, version);
        result.push_back(std::move(entry));
    }
    return result;
}

MigratePlan plan_migrate(const Catalog& catalog, const HistorySnapshot& history, const MigrateRequest& request)
{
    if (request.to && catalog.find(*request.to) == nullptr) {
        throw UsageError("--to " + request.to->text() + ": no such migration in this binary (see vidb list)");
    }
    MigratePlan plan;
    MigrationVersion newest_applied;
    std::vector<std::string> drift;
    std::vector<std::string> collisions;
    MigrationVersion newest_known
        = catalog.migrations().empty() ? MigrationVersion() : catalog.migrations().back().version;
    for (const AppliedMigration& applied : history.applied) {
        newest_known = std::max(newest_known, applied.version);
    }
    for (const StatusEntry& entry : compute_status(catalog, history)) {
        switch (entry.state) {
        case State::collision: {
            const std::string file = label(*entry.migration);
            const std::string renamed = suggested_version(catalog, newest_known, collisions.size()) + "_" + entry.name;
            collisions.push_back(entry.version_text + " is applied as " + entry.version_text + "_" + entry.applied->name
                + ", but this binary's " + entry.version_text + " is " + file
                + ": rename your file to a new version (e.g. " + renamed + ".up.sql), rebuild, then run vidb migrate");
            break;
        }
        case State::missing:
            plan.missing.push_back(entry.version);
            newest_applied = std::max(newest_applied, entry.version);
            break;
        case State::drifted:
            drift.push_back(label(*entry.migration) + ": applied " + entry.applied->checksum.substr(0, 12)
                + ", embedded " + std::string(entry.migration->checksum.substr(0, 12)));
            break;
        case State::partial:
            if (request.partial_may_be_running) {
                plan.partial_seen = true;
                break;
            }
            throw partial_refusal(entry);
        case State::unknown:
            plan.unknown.push_back(entry.version);
            newest_applied = std::max(newest_applied, entry.version);
            break;
        case State::applied:
            newest_applied = std::max(newest_applied, entry.version);
            break;
        case State::pending:
            if (!request.to || entry.version <= *request.to) {
                plan.apply.push_back(entry.migration);
            }
            break;
        }
    }
    if (!collisions.empty()) {
        collisions.push_back("two branches chose the same version; the applied migration stays as it is");
        throw RefusedError("version collision: " + std::to_string(collisions.size() - 1)
                + " applied version(s) belong to another migration than this binary's file; nothing was migrated",
            collisions);
    }
    if (!drift.empty()) {
        drift.push_back(
            "an applied migration must not be edited: restore the file, or add a new migration for the change");
        throw RefusedError("checksum drift: " + std::to_string(drift.size() - 1)
                + " applied migration(s) changed since they were applied; nothing was migrated",
            drift);
    }
    if (!request.allow_out_of_order && !plan.apply.empty() && plan.apply.front()->version < newest_applied) {
        std::vector<std::string> details;
        for (const Migration* migration : plan.apply) {
            if (migration->version < newest_applied) {
                details.push_back(label(*migration) + " is older than the newest applied version "
                    + format_version(catalog, newest_applied));
            }
        }
        details.push_back("rename it to a newer version, or run with --allow-out-of-order if applying it late is safe");
        throw RefusedError(
            "refusing to apply " + std::to_string(details.size() - 1) + " migration(s) out of order", details);
    }
    return plan;
}

RefusedError partial_refusal(const StatusEntry& entry)
{
    const std::string version = entry.version_text.empty() ? entry.version.text() : entry.version_text;
    const PartialMigration& partial = *entry.partial;
    const std::string ran = std::to_string(partial.statements_done) + " of " + std::to_string(partial.statements_total);
    if (partial.direction == Direction::down) {
        return RefusedError("migration " + version + "_" + entry.name + " is partially reverted: " + ran
                + " statements of its down ran; nothing was changed",
            { "fix the cause, then run: vidb repair " + version
                + " --resume   (finishes the revert)   or redo what the down undid by hand and run: vidb repair "
                + version + " --forget   (it stays applied)" });
    }
    return RefusedError("migration " + version + "_" + entry.name + " is partially applied: " + ran
            + " statements ran; nothing was changed",
        { "fix the cause, then run: vidb repair " + version
            + " --resume   (or undo those statements by hand and run: vidb repair " + version + " --forget)" });
}

std::vector<const Migration*> plan_revert(
    const Catalog& catalog, const HistorySnapshot& history, const RevertRequest& request)
{
    if (!request.partial_may_be_running) {
        for (const StatusEntry& entry : compute_status(catalog, history)) {
            if (entry.state == State::partial) {
                throw partial_refusal(entry);
            }
        }
    }
    if (request.to && *request.to != MigrationVersion() && catalog.find(*request.to) == nullptr
        && std::none_of(history.applied.begin(), history.applied.end(),
            [&](const AppliedMigration& a) { return a.version == *request.to; })) {
        throw UsageError("--to " + request.to->text() + ": no such migration (see vidb status)");
    }
    if (request.count && *request.count < 1) {
        throw UsageError("the number of migrations to revert must be at least 1");
    }
    std::vector<const AppliedMigration*> chosen;
    for (auto it = history.applied.rbegin(); it != history.applied.rend(); ++it) {
        if (request.all || (request.to && it->version > *request.to)
            || (!request.to && !request.all && static_cast<int>(chosen.size()) < request.count.value_or(1))) {
            chosen.push_back(&*it);
        }
    }
    std::vector<const Migration*> plan;
    std::vector<std::string> problems;
    for (const AppliedMigration* applied : chosen) {
        const Migration* migration = catalog.find(applied->version);
        const std::string applied_label = format_version(catalog, applied->version) + "_" + applied->name;
        const bool newer = catalog.migrations().empty() || applied->version > catalog.migrations().back().version;
        if (migration == nullptr) {
            problems.push_back(applied_label
                + (newer ? " is not known to this binary (applied by a newer build): it has no down SQL here"
                         : " is missing from this binary (its files were deleted?): it has no down SQL here"));
        } else if (migration->name != applied->name && migration->checksum != applied->checksum) {
            problems.push_back(applied_label + " is not this binary's " + label(*migration)
                + " (version collision): its down SQL would undo the wrong migration");
        } else if (!migration->has_down) {
            problems.push_back(label(*migration) + " is irreversible: it has no " + label(*migration) + ".down.sql");
        } else if (applied->checksum != migration->checksum && !request.allow_drift) {
            problems.push_back(label(*migration) + " changed since it was applied (applied "
                + applied->checksum.substr(0, 12) + ", embedded " + std::string(migration->checksum.substr(0, 12))
                + "): this build's down SQL may not undo what was applied; restore the file, or pass "
                  "--allow-drift if it does");
        } else {
            plan.push_back(migration);
        }
    }
    if (!problems.empty()) {
        if (problems.size() == 1) {
            throw RefusedError("cannot revert " + problems.front() + "; nothing was reverted");
        }
        throw RefusedError(
            "cannot revert " + std::to_string(problems.size()) + " migrations; nothing was reverted", problems);
    }
    return plan;
}

} // namespace vidb::migrate
