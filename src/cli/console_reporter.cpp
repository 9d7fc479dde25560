#include "cli/console_reporter.h"

#include "cli/json_shapes.h"
#include "migrate/planner.h"

#include <fmt/format.h>

namespace vidb::cli {

void ConsoleReporter::waiting_for_lock(const std::string& holder, const std::string& since, double silent_for)
{
    // Shown even with --quiet: a silent hang is the worst thing at 2 a.m.
    m_out.warning(fmt::format(
        "waiting for the migration lock held by {} since {} (last heartbeat {:.0f} s ago)", holder, since, silent_for));
}

void ConsoleReporter::starting(const migrate::Migration&, migrate::Direction) { }

void ConsoleReporter::finished(
    const migrate::Migration& migration, migrate::Direction direction, std::chrono::milliseconds elapsed)
{
    const bool up = direction == migrate::Direction::up;
    m_out.record_step(step_json(migration, up, static_cast<long long>(elapsed.count())));
    m_out.progress(fmt::format("  {} {}  {}", m_out.paint(up ? "applied " : "reverted", up ? Tone::good : Tone::warn),
        migrate::label(migration), m_out.paint(fmt::format("{} ms", elapsed.count()), Tone::dim)));
}

void ConsoleReporter::statement_ran(const migrate::Migration& migration, int index, int total, std::size_t line)
{
    m_out.progress(fmt::format("    {} statement {}/{} (line {})", migrate::label(migration), index, total, line));
}

void ConsoleReporter::retrying(const migrate::Migration& migration, int attempt, const std::string& why)
{
    m_out.warning(fmt::format("{}: {}; retrying (attempt {})", migrate::label(migration), why, attempt + 1));
}

void ConsoleReporter::note(const std::string& message)
{
    m_out.progress(message);
}

} // namespace vidb::cli
