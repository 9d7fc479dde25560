#include "selftest/roundtrip.h"

#include "db/error.h"
#include "db/interrupt.h"
#include "migrate/applier.h"
#include "migrate/planner.h"
#include "migrate/repeatable.h"

#include <fmt/format.h>

#include <csignal>
#include <utility>

namespace vidb::selftest {

namespace {

migrate::ApplyOptions apply_options()
{
    migrate::ApplyOptions options;
    options.lock_timeout = ""; // nobody else uses the scratch database
    options.applied_by = "vidb selftest --roundtrip";
    return options;
}

std::string join(const std::vector<std::string>& items, std::size_t limit = 8)
{
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
        out += (i ? ", " : "") + items[i];
    }
    if (items.size() > limit) {
        out += fmt::format(" and {} more", items.size() - limit);
    }
    return out;
}

// "left behind: index public.x, type public.y" lines for one difference.
std::vector<std::string> describe(
    const SnapshotDiff& diff, const std::string& who, const char* added_verb, const char* removed_verb)
{
    std::vector<std::string> lines;
    if (const auto added = collapse_members(diff.added); !added.empty()) {
        lines.push_back(fmt::format("{}{}: {}", who, added_verb, join(added, 50)));
    }
    if (const auto removed = collapse_members(diff.removed); !removed.empty()) {
        lines.push_back(fmt::format("{}{}: {}", who, removed_verb, join(removed, 50)));
    }
    for (const auto& changed : diff.changed) {
        lines.push_back(fmt::format("{}changed {}", who, changed));
    }
    return lines;
}

} // namespace

Roundtrip::Roundtrip(db::Connection& admin, const migrate::Catalog& catalog, RoundtripOptions options)
    : m_admin(admin)
    , m_catalog(catalog)
    , m_options(std::move(options))
{
}

Roundtrip::~Roundtrip()
{
    cleanup();
}

std::string Roundtrip::precondition()
{
    if (!m_options.read_only_reason.empty()) {
        return m_options.read_only_reason + ": no scratch database can be created";
    }
    if (m_catalog.migrations().empty()) {
        return "this binary carries no migrations";
    }
    const db::CreateDatabaseRight right = db::create_database_right(m_admin);
    if (!right.allowed) {
        return fmt::format("{} lacks the CREATEDB privilege the scratch database needs (ALTER ROLE {} CREATEDB, or "
                           "run --roundtrip as a user that has it)",
            right.user, right.user);
    }
    return "";
}

void Roundtrip::create_scratch()
{
    m_scratch.emplace(m_admin, m_options.conninfo, "vidb_roundtrip",
        "selftest --roundtrip applies, reverts and applies the migrations again in a scratch database on the same "
        "server, and drops it");
    m_history.emplace(m_scratch->connection(), m_options.schema);
    m_history->ensure(); // vidb's tables belong to the "empty" schema too
    m_snapshots.push_back(snapshot_catalog(m_scratch->connection()));
}

Outcome Roundtrip::interrupted_or_failed(const std::exception& error)
{
    if (const int signal_number = db::interrupted_signal(); signal_number != 0) {
        return failed(db::describe_signal(signal_number) + ": stopped, the scratch database is dropped");
    }
    if (const auto* vidb_error = dynamic_cast<const Error*>(&error)) {
        return failed(vidb_error->what(), vidb_error->details());
    }
    return failed(std::string("unexpected error: ") + error.what());
}

Outcome Roundtrip::apply_all()
{
    m_skip = precondition();
    if (!m_skip.empty()) {
        return skipped(m_skip);
    }
    try {
        create_scratch();
        migrate::SilentReporter reporter;
        migrate::Applier applier(*m_history, reporter, apply_options());
        for (const auto& migration : m_catalog.migrations()) {
            db::throw_if_interrupted();
            applier.apply(migration);
            m_snapshots.push_back(snapshot_catalog(m_scratch->connection()));
        }
    } catch (const std::exception& error) {
        return interrupted_or_failed(error);
    }
    m_applied = true;
    const std::size_t count = m_catalog.migrations().size();
    return passed(fmt::format("{} migration{} applied to scratch database {}, {} objects", count, count == 1 ? "" : "s",
        m_scratch->name(), m_snapshots.back().size()));
}

Outcome Roundtrip::revert_all()
{
    if (!m_skip.empty()) {
        return skipped("roundtrip: apply all was skipped");
    }
    if (!m_applied) {
        return skipped("applying all failed");
    }
    const auto& migrations = m_catalog.migrations();
    for (const auto& migration : migrations) {
        if (!migration.has_down) {
            m_skip
                = migrate::label(migration) + " is irreversible (no .down.sql): the migrations cannot all be reverted";
            return skipped(m_skip);
        }
    }
    std::vector<std::string> findings;
    SnapshotDiff final_diff;
    try {
        migrate::SilentReporter reporter;
        migrate::Applier applier(*m_history, reporter, apply_options());
        SnapshotDiff carried; // differences newer downs already left, so each is blamed once
        for (std::size_t i = migrations.size(); i-- > 0;) {
            db::throw_if_interrupted();
            applier.revert(migrations[i]);
            const SnapshotDiff diff = compare_snapshots(m_snapshots[i], snapshot_catalog(m_scratch->connection()));
            const auto lines = describe(subtract(diff, carried), std::string(migrations[i].down_file) + " ",
                "left behind", "dropped what its up did not create");
            findings.insert(findings.end(), lines.begin(), lines.end());
            carried = diff;
            final_diff = diff;
        }
    } catch (const std::exception& error) {
        return interrupted_or_failed(error);
    }
    m_reverted = true;
    if (findings.empty()) {
        return passed(migrations.size() == 1
                ? std::string("the down migration undid its up; the schema is back to empty")
                : fmt::format("each of {} down migrations undid its up; the schema is back "
                              "to empty",
                    migrations.size()));
    }
    if (final_diff.empty()) {
        return failed("a down migration did not undo its up (an older down removed the difference later)", findings);
    }
    std::string summary;
    for (const auto& line : describe(final_diff, "", "left behind", "dropped")) {
        summary += "; " + line;
    }
    return failed("the schema is not back to empty after reverting all" + summary, findings);
}

Outcome Roundtrip::apply_again()
{
    if (!m_skip.empty()) {
        return skipped(m_applied ? m_skip : "roundtrip: apply all was skipped");
    }
    if (!m_reverted) {
        return skipped(m_applied ? "reverting all failed" : "applying all failed");
    }
    try {
        migrate::SilentReporter reporter;
        migrate::Applier applier(*m_history, reporter, apply_options());
        for (const auto& migration : m_catalog.migrations()) {
            db::throw_if_interrupted();
            applier.apply(migration);
        }
        const SnapshotDiff diff = compare_snapshots(m_snapshots.back(), snapshot_catalog(m_scratch->connection()));
        if (!diff.empty()) {
            return failed("applying all again gives a different schema than the first time",
                describe(diff, "", "new", "missing"));
        }
    } catch (const std::exception& error) {
        return interrupted_or_failed(error);
    }
    m_applied_again = true;
    return passed(fmt::format("same schema as the first apply ({} objects)", m_snapshots.back().size()));
}

Outcome Roundtrip::repeat_repeatables()
{
    if (!m_applied_again) {
        return skipped(m_skip.empty() ? "an earlier roundtrip step failed" : "roundtrip: apply all was skipped");
    }
    const auto& repeatables = m_catalog.repeatables();
    try {
        migrate::SilentReporter reporter;
        migrate::ensure_repeatable_table(*m_history);
        for (const auto& repeatable : repeatables) {
            db::throw_if_interrupted();
            migrate::apply_repeatable(*m_history, repeatable, apply_options(), reporter);
        }
        CatalogSnapshot before = snapshot_catalog(m_scratch->connection());
        for (const auto& repeatable : repeatables) {
            db::throw_if_interrupted();
            try {
                migrate::apply_repeatable(*m_history, repeatable, apply_options(), reporter);
            } catch (const Error& error) {
                auto details = error.details();
                details.insert(details.begin(), error.what());
                return failed(fmt::format("{} fails when applied a second time: a repeatable migration must be "
                                          "safe to apply again (CREATE OR REPLACE, IF NOT EXISTS)",
                                  repeatable.file_name),
                    details);
            }
            CatalogSnapshot after = snapshot_catalog(m_scratch->connection());
            if (const SnapshotDiff diff = compare_snapshots(before, after); !diff.empty()) {
                return failed(fmt::format("{} changes the schema when applied a second time: a repeatable "
                                          "migration must leave it as its first application did",
                                  repeatable.file_name),
                    describe(diff, std::string(repeatable.file_name) + " ", "added", "removed"));
            }
            before = std::move(after);
        }
    } catch (const std::exception& error) {
        return interrupted_or_failed(error);
    }
    return passed(fmt::format("each of {} repeatable migration{} applied twice, the schema unchanged by the second",
        repeatables.size(), repeatables.size() == 1 ? "" : "s"));
}

std::optional<std::string> Roundtrip::cleanup() noexcept
{
    m_history.reset();
    if (!m_scratch) {
        return std::nullopt;
    }
    auto problem = m_scratch->drop();
    m_scratch.reset();
    return problem;
}

} // namespace vidb::selftest
