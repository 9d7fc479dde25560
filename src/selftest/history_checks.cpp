#include "selftest/history_checks.h"

#include "db/error.h"
#include "migrate/planner.h"

#include <fmt/format.h>

namespace vidb::selftest {

namespace {

using migrate::State;

std::string plural(std::size_t n, const char* one, const char* many)
{
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string entry_label(const migrate::StatusEntry& entry)
{
    return entry.migration ? migrate::label(*entry.migration) : fmt::format("{}_{}", entry.version_text, entry.name);
}

// The reason the history-derived checks cannot judge, or "".
std::string unusable(const HistoryView& view)
{
    if (!view.read) {
        return "the history table could not be read";
    }
    if (!view.snapshot.exists) {
        return "no history table: nothing was migrated yet";
    }
    return "";
}

std::vector<migrate::StatusEntry> in_state(const HistoryView& view, const migrate::Catalog& catalog, State state)
{
    std::vector<migrate::StatusEntry> out;
    for (auto& entry : migrate::compute_status(catalog, view.snapshot)) {
        if (entry.state == state) {
            out.push_back(entry);
        }
    }
    return out;
}

} // namespace

HistoryView read_history(migrate::History& history, db::Connection& connection)
{
    HistoryView view;
    view.table = history.table();
    view.schema = history.schema();
    try {
        view.snapshot = history.read();
        view.read = true;
    } catch (const db::SqlError& error) {
        connection.rollback_if_in_transaction();
        view.error = error.server().message;
    }
    return view;
}

Outcome check_history_table(const HistoryView& view, const migrate::Catalog& catalog)
{
    if (!view.read) {
        return failed("cannot read " + view.table + ": " + view.error);
    }
    if (!view.snapshot.exists) {
        if (catalog.migrations().empty()) {
            return passed("absent, and this binary carries no migrations");
        }
        return failed(
            fmt::format("vidb_schema_migrations not found in schema {}: this database was never migrated", view.schema),
            { "run: vidb migrate (or pass --schema / set VIDB_SCHEMA if vidb's tables live in another schema)" });
    }
    return passed(fmt::format(
        "{} in schema {}, {} applied", "vidb_schema_migrations", view.schema, view.snapshot.applied.size()));
}

Outcome check_all_applied(const HistoryView& view, const migrate::Catalog& catalog)
{
    if (!view.read) {
        return skipped("the history table could not be read");
    }
    const auto entries = migrate::compute_status(catalog, view.snapshot);
    std::vector<std::string> missing;
    for (const auto& entry : entries) {
        if (entry.state == State::pending || entry.state == State::partial) {
            missing.push_back(entry_label(entry)
                + (entry.state == State::pending                               ? " (pending)"
                        : entry.partial->direction == migrate::Direction::down ? " (partially reverted)"
                                                                               : " (partially applied)"));
        }
    }
    const std::size_t total = catalog.migrations().size();
    if (missing.empty()) {
        return passed(fmt::format("all {} applied", plural(total, "embedded migration", "embedded migrations")));
    }
    missing.push_back("run: vidb migrate");
    return failed(fmt::format("{} of {} not applied", missing.size() - 1,
                      plural(total, "embedded migration", "embedded migrations")),
        missing);
}

Outcome check_no_unknown(const HistoryView& view, const migrate::Catalog& catalog)
{
    if (const auto reason = unusable(view); !reason.empty()) {
        return skipped(reason);
    }
    const auto unknown = in_state(view, catalog, State::unknown);
    const auto missing = in_state(view, catalog, State::missing);
    if (unknown.empty() && missing.empty()) {
        return passed("");
    }
    std::vector<std::string> details;
    const auto applied_line = [](const migrate::StatusEntry& entry) {
        return fmt::format("{} applied {} by {}", entry_label(entry), entry.applied->applied_at,
            entry.applied->applied_by.empty() ? "?" : entry.applied->applied_by);
    };
    for (const auto& entry : missing) {
        details.push_back(applied_line(entry)
            + ": missing here although this binary carries newer migrations (was its file deleted? restore it)");
    }
    for (const auto& entry : unknown) {
        details.push_back(applied_line(entry));
    }
    if (!unknown.empty()) {
        details.push_back("a newer build applied them: deploy that build, or run its vidb revert first");
    }
    return failed(fmt::format("{} this binary does not carry",
                      plural(unknown.size() + missing.size(), "applied migration", "applied migrations")),
        details);
}

Outcome check_no_drift(const HistoryView& view, const migrate::Catalog& catalog)
{
    if (const auto reason = unusable(view); !reason.empty()) {
        return skipped(reason);
    }
    const auto drifted = in_state(view, catalog, State::drifted);
    const auto collisions = in_state(view, catalog, State::collision);
    if (drifted.empty() && collisions.empty()) {
        return passed("");
    }
    std::vector<std::string> details;
    for (const auto& entry : collisions) {
        details.push_back(fmt::format("{}: version collision: the database applied {}_{}; rename this file to a new "
                                      "version",
            entry_label(entry), entry.version_text, entry.applied->name));
    }
    for (const auto& entry : drifted) {
        details.push_back(fmt::format("{}: applied with checksum {}, embedded {}", entry_label(entry),
            entry.applied->checksum.substr(0, 12), entry.migration->checksum.substr(0, 12)));
    }
    if (!drifted.empty()) {
        details.push_back(
            "an applied migration must not be edited: restore the file, or add a new migration for the change");
    }
    if (drifted.empty()) {
        return failed(
            fmt::format("{} in use by another migration", plural(collisions.size(), "version", "versions")), details);
    }
    return failed(
        fmt::format("{} changed since applied", plural(drifted.size() + collisions.size(), "migration", "migrations")),
        details);
}

Outcome check_no_partial(const HistoryView& view, const migrate::Catalog& catalog)
{
    if (const auto reason = unusable(view); !reason.empty()) {
        return skipped(reason);
    }
    const auto partial = in_state(view, catalog, State::partial);
    if (partial.empty()) {
        return passed("");
    }
    std::vector<std::string> details;
    for (const auto& entry : partial) {
        details.push_back(fmt::format("{}: {} of {} statements{} ran; last error: {}", entry_label(entry),
            entry.partial->statements_done, entry.partial->statements_total,
            entry.partial->direction == migrate::Direction::down ? " of its down (a partial revert)" : "",
            entry.partial->last_error.empty() ? "(none recorded)" : entry.partial->last_error));
        details.push_back(fmt::format("recover: fix the cause, then vidb repair {0} --resume (or undo it by hand, then "
                                      "vidb repair {0} --forget)",
            entry.version_text));
    }
    return failed(fmt::format("{} stopped part way",
                      plural(partial.size(), "no-transaction migration", "no-transaction migrations")),
        details);
}

} // namespace vidb::selftest
