#include "cli/change_options.h"

#include "cli/duration.h"
#include "common/error.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <unistd.h>

namespace vidb::cli {

void ChangeOptions::add_to(CLI::App& command)
{
    command.add_option("--lock-timeout", lock_timeout,
        "Longest a migration statement waits for a table lock before failing (default 10s, 0 = no limit; "
        "env VIDB_LOCK_TIMEOUT)");
    command.add_option("--statement-timeout", statement_timeout,
        "Longest a migration statement may run (default 0 = no limit, whatever the role's or database's "
        "statement_timeout; env VIDB_STATEMENT_TIMEOUT)");
    command
        .add_option("--lock-retries", lock_retries,
            "Retry a migration that hit the lock timeout or a deadlock this many times (default 0; env "
            "VIDB_LOCK_RETRIES)")
        ->check(CLI::Range(0, 100));
    command.add_option("--lock-wait-timeout", lock_wait_timeout,
        "Longest to wait for another vidb holding the migration lock (default 15m; env "
        "VIDB_LOCK_WAIT_TIMEOUT)");
}

namespace {

// The flag's value, else the variable's, else the default; `from` names where it came
// from, so that an error names what the user has to fix.
std::string setting(const std::string& flag_value, const char* flag, const config::Environment& env,
    const char* variable, const char* fallback, std::string& from)
{
    if (!flag_value.empty()) {
        from = flag;
        return flag_value;
    }
    if (const auto value = env.get(variable); value && !value->empty()) {
        from = std::string(variable) + " (" + env.source_of(variable) + ")";
        return *value;
    }
    from = flag;
    return fallback;
}

} // namespace

migrate::EngineOptions ChangeOptions::engine_options(Context& context) const
{
    const auto& env = context.env();
    migrate::EngineOptions options;
    std::string from;
    const std::string lock_timeout_text
        = setting(lock_timeout, "--lock-timeout", env, "VIDB_LOCK_TIMEOUT", "10s", from);
    const auto statement_lock = parse_duration(lock_timeout_text);
    if (!statement_lock) {
        throw UsageError(from + ": expected a duration such as 10s, 500ms or 0, got '" + lock_timeout_text + "'");
    }
    options.apply.lock_timeout = statement_lock->count() == 0 ? "" : std::to_string(statement_lock->count()) + "ms";
    const std::string statement_timeout_text
        = statement_timeout.empty() ? env.get_or("VIDB_STATEMENT_TIMEOUT", "0") : statement_timeout;
    const auto statement_limit = parse_duration(statement_timeout_text);
    if (!statement_limit) {
        throw UsageError(std::string(statement_timeout.empty() ? "VIDB_STATEMENT_TIMEOUT" : "--statement-timeout")
            + ": expected a duration such as 30m, 500ms or 0 (no limit), got '" + statement_timeout_text + "'");
    }
    options.apply.statement_timeout = std::to_string(statement_limit->count()) + (statement_limit->count() ? "ms" : "");
    int retries = lock_retries;
    if (retries < 0) {
        const std::string text = env.get_or("VIDB_LOCK_RETRIES", "0");
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), retries);
        if (ec != std::errc {} || end != text.data() + text.size() || retries < 0) {
            throw UsageError("VIDB_LOCK_RETRIES (" + env.source_of("VIDB_LOCK_RETRIES")
                + "): expected a whole number from 0 to 100, got '" + text + "'");
        }
    }
    if (retries > 100) {
        throw UsageError(std::string(lock_retries < 0 ? "VIDB_LOCK_RETRIES (" + env.source_of("VIDB_LOCK_RETRIES") + ")"
                                                      : "--lock-retries")
            + ": at most 100");
    }
    options.apply.lock_retries = retries;
    options.apply.applied_by = context.applied_by();

    const std::string wait_text
        = setting(lock_wait_timeout, "--lock-wait-timeout", env, "VIDB_LOCK_WAIT_TIMEOUT", "15m", from);
    const auto wait = parse_duration(wait_text);
    if (!wait) {
        throw UsageError(from + ": expected a duration such as 30s or 15m, got '" + wait_text + "'");
    }
    options.lock.wait_timeout = *wait;
    const auto stale = parse_duration(env.get_or("VIDB_LOCK_STALE_AFTER", "30s"));
    if (!stale || stale->count() < 1000) {
        throw UsageError("VIDB_LOCK_STALE_AFTER (" + env.source_of("VIDB_LOCK_STALE_AFTER")
            + "): expected a duration of at least 1s");
    }
    options.lock.stale_after = std::chrono::duration_cast<std::chrono::seconds>(*stale);
    options.lock.holder = context.applied_by() + " pid " + std::to_string(static_cast<long>(getpid()));
    options.lock.conninfo = context.conninfo().text;
    return options;
}

migrate::MigrationVersion parse_version_argument(const std::string& text, const std::string& what)
{
    const auto version = migrate::MigrationVersion::parse(text);
    if (!version) {
        throw UsageError(
            what + ": expected a migration version (digits, or Flyway's dotted form such as 17.1), got '" + text + "'");
    }
    return *version;
}

} // namespace vidb::cli
