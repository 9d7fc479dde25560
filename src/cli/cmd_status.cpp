#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "migrate/history.h"
#include "migrate/lock.h"
#include "migrate/planner.h"
#include "migrate/repeatable.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace vidb::cli {

namespace {

Tone tone_of(migrate::State state)
{
    switch (state) {
    case migrate::State::applied:
        return Tone::good;
    case migrate::State::pending:
        return Tone::warn;
    default:
        return Tone::bad;
    }
}

const std::string& version_text(const migrate::StatusEntry& entry)
{
    return entry.version_text;
}

// Whether a partial migration without a recorded error is still running: a vidb holds
// the lock and its heartbeat is fresh. Read only when there is such a migration.
std::optional<std::string> running_by(
    Context& context, migrate::History& history, const std::vector<migrate::StatusEntry>& entries)
{
    const bool unexplained = std::any_of(entries.begin(), entries.end(), [](const migrate::StatusEntry& entry) {
        return entry.state == migrate::State::partial && entry.partial->last_error.empty();
    });
    if (!unexplained) {
        return std::nullopt;
    }
    const auto holder = migrate::read_lock_holder(history);
    const auto stale_after = ChangeOptions {}.engine_options(context).lock.stale_after;
    if (!holder || holder->silent_for > static_cast<double>(stale_after.count())) {
        return std::nullopt;
    }
    return fmt::format("{} (last heartbeat {:.0f} s ago)", holder->holder, holder->silent_for);
}

// Repeatable migrations after the versioned ones: applied, pending, or changed (applied
// again by the next migrate).
void print_repeatables(Context& context, const std::vector<migrate::RepeatableStatus>& repeatables)
{
    const auto& out = context.out();
    for (const auto& entry : repeatables) {
        const std::string state = fmt::format("{:<9}", migrate::repeatable_state_name(entry.state));
        out.result(fmt::format("R  {}  {}  {}", entry.repeatable->name,
            out.paint(state, entry.state == migrate::RepeatableState::applied ? Tone::good : Tone::warn),
            entry.applied_at.substr(0, 22)));
        if (entry.state == migrate::RepeatableState::changed) {
            out.result("    the file changed since it was applied: vidb migrate applies it again");
        }
    }
}

// The lines under a partial migration: how far it got, how its run ended, what to do.
void print_partial(const Output& out, const migrate::StatusEntry& entry, const StatusServer& server)
{
    const migrate::PartialMigration& partial = *entry.partial;
    const bool down = partial.direction == migrate::Direction::down;
    const std::string run = partial_run_state(partial, server);
    const std::string ran = fmt::format(
        "{} of {} statements{}", partial.statements_done, partial.statements_total, down ? " of its down" : "");
    if (run == "running") {
        out.result(fmt::format("    running now: {} done so far, by {}", ran, *server.running_by));
        return;
    }
    if (run == "failed") {
        out.result(
            fmt::format("    {}{} ran; last error: {}", down ? "partially reverted: " : "", ran, partial.last_error));
    } else {
        out.result(fmt::format("    {}{} ran for certain; the run was cut short without recording an error (killed, "
                               "or its connection lost), so statement {} may have completed too: check it",
            down ? "partially reverted: " : "", ran, partial.statements_done + 1));
    }
    if (down) {
        out.result(fmt::format("    recover: fix the cause, then vidb repair {0} --resume to finish the revert (or "
                               "redo by hand what it undid, then vidb repair {0} --forget: it stays applied)",
            entry.version_text));
    } else {
        out.result(fmt::format("    recover: fix the cause, then vidb repair {0} --resume (or undo by hand, then vidb "
                               "repair {0} --forget)",
            entry.version_text));
    }
}

void print_table(Context& context, const std::vector<migrate::StatusEntry>& entries, const StatusServer& server)
{
    const auto& out = context.out();
    std::size_t name_width = 4;
    std::size_t version_width = 7;
    for (const auto& entry : entries) {
        name_width = std::max(name_width, entry.name.size());
        version_width = std::max(version_width, version_text(entry).size());
    }
    out.result(out.paint(fmt::format("{:<{}}  {:<{}}  {:<9}  {:<22}  {}", "VERSION", version_width, "NAME", name_width,
                             "STATE", "APPLIED AT", "TIME"),
        Tone::bold));
    std::map<migrate::State, int> counts;
    for (const auto& entry : entries) {
        ++counts[entry.state];
        std::string applied_at;
        std::string time;
        if (entry.applied) {
            applied_at = entry.applied->applied_at.substr(0, 22);
            time = entry.applied->execution_ms ? fmt::format("{} ms", *entry.applied->execution_ms) : "";
        }
        const std::string state = fmt::format("{:<9}", migrate::state_name(entry.state));
        out.result(fmt::format("{:<{}}  {:<{}}  {}  {:<22}  {}", version_text(entry), version_width, entry.name,
            name_width, out.paint(state, tone_of(entry.state)), applied_at, time));
        if (entry.state == migrate::State::drifted) {
            out.result(fmt::format("    checksum applied {} != embedded {}: the file was edited after it was applied",
                entry.applied->checksum, entry.migration->checksum));
        } else if (entry.state == migrate::State::unknown) {
            out.result("    applied by a newer build: this binary carries no migration this new");
        } else if (entry.state == migrate::State::missing) {
            out.result("    applied, but this binary lacks its file although it carries newer ones: was the file "
                       "deleted? restore it");
        } else if (entry.state == migrate::State::collision) {
            out.result(fmt::format("    version collision: the database applied {}_{}, this binary's file is {}_{} "
                                   "(two branches chose {}); rename your file to a new version",
                entry.version_text, entry.applied->name, entry.version_text, entry.name, entry.version_text));
        } else if (entry.state == migrate::State::partial) {
            print_partial(out, entry, server);
        }
        if (entry.state == migrate::State::partial) {
            for (const auto& index : entry.partial->invalid_indexes) {
                out.result(fmt::format("    its failed statement left the INVALID index {}: before resuming, run "
                                       "DROP INDEX CONCURRENTLY {};",
                    index, index));
            }
        }
    }
    std::string summary;
    for (const auto state : { migrate::State::applied, migrate::State::pending, migrate::State::drifted,
             migrate::State::collision, migrate::State::missing, migrate::State::unknown, migrate::State::partial }) {
        if (counts[state] > 0 || state == migrate::State::applied || state == migrate::State::pending) {
            summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", counts[state], migrate::state_name(state));
        }
    }
    out.result(summary);
}

} // namespace

void add_status_command(CLI::App& app, Context& context)
{
    auto* command = app.add_subcommand(
        "status", "Show applied, pending, drifted, collision, missing, unknown and partial migrations");
    command->callback([&context] {
        auto connection = context.connect();
        migrate::History history(connection, context.schema());
        const auto snapshot = history.read();
        const auto entries = migrate::compute_status(migrate::Catalog::embedded(), snapshot);
        const StatusServer server { connection.database(), connection.server_version_text(), snapshot.exists,
            running_by(context, history, entries) };
        const auto repeatables = migrate::repeatable_status(history, migrate::Catalog::embedded());
        if (context.out().json()) {
            Json document = status_json(entries, server);
            document["repeatables"] = repeatables_status_json(repeatables);
            context.out().document(document);
        } else {
            print_table(context, entries, server);
            print_repeatables(context, repeatables);
        }
    });
}

} // namespace vidb::cli
