#include "migrate/repeatable.h"

#include "common/error.h"
#include "db/error.h"
#include "migrate/migration_error.h"
#include "migrate/planner.h"
#include "migrate/session.h"

#include <chrono>
#include <map>

namespace vidb::migrate {

namespace {

std::size_t count_chars(std::string_view text)
{
    std::size_t count = 0;
    for (const char c : text) {
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return count;
}

std::string create_sql(const std::string& table)
{
    return "CREATE TABLE IF NOT EXISTS " + table
        + " (\n"
          "  name text PRIMARY KEY,\n"
          "  checksum text NOT NULL,\n"
          "  applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),\n"
          "  execution_ms integer,\n"
          "  applied_by text\n);\n";
}

} // namespace

const char* repeatable_state_name(RepeatableState state)
{
    switch (state) {
    case RepeatableState::applied:
        return "applied";
    case RepeatableState::pending:
        return "pending";
    case RepeatableState::changed:
        return "changed";
    }
    return "pending";
}

std::string repeatable_table(const History& history)
{
    // The history table's name with its last part replaced: same schema, same quoting.
    const std::string& table = history.table();
    return table.substr(0, table.rfind('.') + 1) + "vidb_repeatable_migrations";
}

std::vector<RepeatableStatus> repeatable_status(History& history, const Catalog& catalog)
{
    std::vector<RepeatableStatus> status;
    if (catalog.repeatables().empty()) {
        return status;
    }
    db::Connection& connection = history.connection();
    const std::string table = repeatable_table(history);
    std::map<std::string, std::pair<std::string, std::string>, std::less<>> recorded;
    const auto exists
        = connection.exec("SELECT pg_catalog.to_regclass(" + connection.quote_literal(table) + ") IS NOT NULL");
    if (exists.get_bool(0, 0)) {
        const auto rows = connection.exec("SELECT name, checksum, applied_at::text FROM " + table);
        for (int row = 0; row < rows.rows(); ++row) {
            recorded.emplace(std::string(rows.get(row, 0)),
                std::make_pair(std::string(rows.get(row, 1)), std::string(rows.get(row, 2))));
        }
    }
    for (const Repeatable& repeatable : catalog.repeatables()) {
        RepeatableStatus entry { .repeatable = &repeatable };
        if (const auto it = recorded.find(repeatable.name); it != recorded.end()) {
            entry.applied_checksum = it->second.first;
            entry.applied_at = it->second.second;
            entry.state
                = entry.applied_checksum == repeatable.checksum ? RepeatableState::applied : RepeatableState::changed;
        }
        status.push_back(std::move(entry));
    }
    return status;
}

void forget_repeatables(History& history)
{
    db::Connection& connection = history.connection();
    const std::string table = repeatable_table(history);
    if (connection.exec("SELECT pg_catalog.to_regclass(" + connection.quote_literal(table) + ") IS NOT NULL")
            .get_bool(0, 0)) {
        connection.exec("DELETE FROM " + table);
    }
}

void ensure_repeatable_table(History& history)
{
    db::Connection& connection = history.connection();
    const std::string table = repeatable_table(history);
    if (connection.exec("SELECT pg_catalog.to_regclass(" + connection.quote_literal(table) + ") IS NOT NULL")
            .get_bool(0, 0)) {
        return;
    }
    db::Transaction transaction(connection);
    connection.exec("BEGIN;\nSET LOCAL client_min_messages = warning;\n" + create_sql(table) + "COMMENT ON TABLE "
        + table + " IS 'vidb: repeatable migrations applied, with the checksum applied last.';\nCOMMIT;");
    transaction.commit();
}

std::vector<const Repeatable*> repeatables_to_apply(const std::vector<RepeatableStatus>& status)
{
    std::vector<const Repeatable*> out;
    for (const RepeatableStatus& entry : status) {
        if (entry.state != RepeatableState::applied) {
            out.push_back(entry.repeatable);
        }
    }
    return out;
}

void refuse_unrunnable(const std::vector<const Repeatable*>& repeatables)
{
    for (const Repeatable* repeatable : repeatables) {
        if (!repeatable->problem.empty()) {
            throw RefusedError("repeatable migration R__" + std::string(repeatable->name)
                    + " cannot run safely: " + repeatable->problem,
                { "nothing was applied (this binary's migrations were not checked when it was built; the build "
                  "fails on such files)" });
        }
    }
}

Migration repeatable_as_migration(const Repeatable& repeatable)
{
    Migration migration;
    migration.version_text = "R_";
    migration.name = repeatable.name;
    migration.up_file = repeatable.file_name;
    migration.up_sql = repeatable.sql;
    migration.up_run_sql = repeatable.run_sql;
    migration.checksum = repeatable.checksum;
    return migration;
}

void apply_repeatable(History& history, const Repeatable& repeatable, const ApplyOptions& options, Reporter& reporter)
{
    db::Connection& connection = history.connection();
    const Migration shown = repeatable_as_migration(repeatable);
    const std::string table = repeatable_table(history);
    const auto start = std::chrono::steady_clock::now();
    reporter.starting(shown, Direction::up);
    if (connection.parameter_status("standard_conforming_strings") != "on") {
        connection.exec("SET standard_conforming_strings = on"); // as the source checks read strings
    }
    std::string prefix = "BEGIN;\n";
    if (!options.lock_timeout.empty()) {
        prefix += "SET LOCAL lock_timeout = " + connection.quote_literal(options.lock_timeout) + ";\n";
    }
    prefix += "SET LOCAL statement_timeout = " + connection.quote_literal(options.statement_timeout) + ";\n";
    // A newline first: the file may end inside a `--` comment; then undo its session settings.
    const std::string suffix = "\n;\n" + std::string(k_session_reset_sql) + "INSERT INTO " + table
        + " (name, checksum, applied_by, execution_ms) VALUES (" + connection.quote_literal(repeatable.name) + ", "
        + connection.quote_literal(repeatable.checksum) + ", " + connection.quote_literal(options.applied_by)
        + ", (pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::integer) "
          "ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, "
          "applied_by = EXCLUDED.applied_by, execution_ms = EXCLUDED.execution_ms;\nCOMMIT;";
    try {
        db::Transaction transaction(connection); // rolled back before the catch reports
        connection.exec(prefix + std::string(repeatable.run_sql) + suffix);
        transaction.commit();
    } catch (const db::SqlError& error) {
        auto details = describe_sql_error(error, repeatable.file_name, repeatable.sql, 1, count_chars(prefix),
            options.lock_timeout, options.statement_timeout);
        details.push_back("nothing of " + label(shown)
            + " was applied (its transaction was rolled back); the repeatable migrations after it were not "
              "attempted");
        throw MigrationError(
            "repeatable migration " + label(shown) + " failed: " + error.server().message, details, error.sqlstate());
    }
    reporter.finished(shown, Direction::up,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start));
}

} // namespace vidb::migrate
