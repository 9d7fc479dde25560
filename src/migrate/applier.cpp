#include "migrate/applier.h"

#include "db/error.h"
#include "db/interrupt.h"
#include "db/server_features.h"
#include "migrate/error_location.h"
#include "migrate/invalid_index.h"
#include "migrate/migration_error.h"
#include "migrate/planner.h"
#include "migrate/session.h"
#include "migrate/session_statement.h"
#include "migrate/source_layout.h"
#include "migrate/sql_lexer.h"

#include <chrono>
#include <optional>
#include <set>
#include <thread>

namespace vidb::migrate {

namespace {

using clock = std::chrono::steady_clock;

std::chrono::milliseconds since(clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
}

// A cancelled query after SIGINT/SIGTERM is an interruption, not a SQL failure.
void rethrow_if_interrupted(const db::SqlError& error, const std::string& what)
{
    if (error.canceled()) {
        db::throw_if_interrupted(what);
    }
}

} // namespace

Applier::Applier(History& history, Reporter& reporter, ApplyOptions options)
    : m_history(history)
    , m_connection(history.connection())
    , m_reporter(reporter)
    , m_options(std::move(options))
{
}

std::string Applier::lock_timeout_sql(bool local) const
{
    const std::string set = local ? "SET LOCAL" : "SET";
    std::string sql;
    if (!m_options.lock_timeout.empty()) {
        sql += set + " lock_timeout = " + m_connection.quote_literal(m_options.lock_timeout) + ";\n";
    }
    // Always set: a role or database default (ALTER ROLE app SET statement_timeout = '5s')
    // must not kill a long migration half way. "0" unless --statement-timeout says otherwise.
    sql += set + " statement_timeout = " + m_connection.quote_literal(m_options.statement_timeout) + ";\n";
    // PostgreSQL 14+: when vidb is killed, the server aborts the migration within a second
    // instead of running it on (and committing it) after its client is gone.
    if (db::has_client_connection_check_interval(m_connection.server_version())) {
        sql += set + " client_connection_check_interval = '1s';\n";
    }
    if (!local) {
        sql += "SET standard_conforming_strings = on;\n"; // see read_strings_as_checked()
    }
    return sql;
}

void Applier::read_strings_as_checked()
{
    if (m_connection.parameter_status("standard_conforming_strings") != "on") {
        m_history.send("SET standard_conforming_strings = on");
    }
}

ApplyResult Applier::apply(const Migration& migration)
{
    if (!migration.up_no_transaction) {
        for (int attempt = 0;; ++attempt) {
            try {
                return apply_in_transaction(migration, attempt < m_options.lock_retries);
            } catch (const db::SqlError& error) {
                // Only retryable errors escape apply_in_transaction unformatted.
                m_reporter.retrying(migration, attempt + 1, error.server().message);
                std::this_thread::sleep_for(std::chrono::seconds(1) * (1 << std::min(attempt, 5)));
                db::throw_if_interrupted();
            }
        }
    }
    resume(migration, Direction::up, 0);
    return ApplyResult::done;
}

ApplyResult Applier::apply_in_transaction(const Migration& migration, bool may_retry)
{
    const auto start = clock::now();
    m_reporter.starting(migration, Direction::up);
    const std::string version = std::to_string(migration.version.key());
    read_strings_as_checked();
    const std::string prefix = "BEGIN;\n" + lock_timeout_sql(true) + "INSERT INTO " + m_history.table()
        + " (version, name, checksum, applied_by" + m_history.text_column(migration.version) + ") VALUES (" + version
        + ", " + m_connection.quote_literal(migration.name) + ", " + m_connection.quote_literal(migration.checksum)
        + ", " + m_connection.quote_literal(m_options.applied_by) + m_history.text_value(migration.version) + ");\n";
    // A newline first: the file may end inside a `--` comment. Then undo the file's session
    // settings (search_path, role, ...) before vidb's own write, in the same transaction.
    const std::string suffix = "\n;\n" + std::string(k_session_reset_sql) + "UPDATE " + m_history.table()
        + " SET execution_ms = (pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - pg_catalog.now()) * "
          "1000)::integer WHERE version = "
        + version + ";\nCOMMIT;";
    try {
        db::Transaction transaction(m_connection); // rolled back before the catch reports
        m_history.send(prefix + std::string(migration.up_run_sql) + suffix);
        transaction.commit();
    } catch (const db::SqlError& error) {
        rethrow_if_interrupted(error, label(migration) + " was rolled back, nothing of it was applied");
        if (error.sqlstate() == "23505" && error.server().constraint == "vidb_schema_migrations_pkey") {
            return ApplyResult::already_applied; // another process applied it first
        }
        if (may_retry && (error.lock_timeout() || error.retryable())) {
            throw; // apply() waits and tries again
        }
        // Not the file's fault: vidb may not write its own history table.
        auto details = error.server().message.find("vidb_") != std::string::npos ? privilege_advice(
                           m_connection, error, "recording " + label(migration) + " in its history", m_history.schema())
                                                                                 : std::vector<std::string> {};
        if (details.empty()) {
            details = describe_sql_error(error, migration.up_file, migration.up_sql, migration.up_first_line,
                count_chars(prefix), m_options.lock_timeout, m_options.statement_timeout);
        }
        details.push_back("nothing of " + label(migration)
            + " was applied (its transaction was rolled back); "
              "later migrations were not attempted");
        throw MigrationError(
            "migration " + label(migration) + " failed: " + without_wrapper_sql(error.server().message, suffix),
            details, error.sqlstate());
    } catch (const db::ConnectionError& error) {
        throw db::ConnectionError(std::string(error.what()) + " (while applying " + label(migration) + ")",
            { "the server rolls its transaction back (unless the connection broke during COMMIT; "
              "vidb status tells); run vidb migrate again once the database is back" });
    }
    m_reporter.finished(migration, Direction::up, since(start));
    return ApplyResult::done;
}

void Applier::resume(const Migration& migration, Direction direction, int done)
{
    const auto start = clock::now();
    m_reporter.starting(migration, direction);
    run_statements(migration, direction, done);
    const std::string version = std::to_string(migration.version.key());
    // The history and the journal change together: never applied-and-partial, never neither.
    if (direction == Direction::up) {
        m_history.write_bookkeeping("INSERT INTO " + m_history.table()
            + " (version, name, checksum, execution_ms, applied_by" + m_history.text_column(migration.version)
            + ") VALUES (" + version + ", " + m_connection.quote_literal(migration.name) + ", "
            + m_connection.quote_literal(migration.checksum) + ", " + std::to_string(since(start).count()) + ", "
            + m_connection.quote_literal(m_options.applied_by) + m_history.text_value(migration.version)
            + ");\nDELETE FROM " + m_history.progress_table() + " WHERE version = " + version + ";");
    } else {
        m_history.write_bookkeeping("DELETE FROM " + m_history.table() + " WHERE version = " + version
            + ";\nDELETE FROM " + m_history.progress_table() + " WHERE version = " + version + ";");
    }
    m_reporter.finished(migration, direction, since(start));
}

void Applier::revert(const Migration& migration)
{
    if (migration.down_no_transaction) {
        resume(migration, Direction::down, 0);
        return;
    }
    const auto start = clock::now();
    m_reporter.starting(migration, Direction::down);
    const std::string remove
        = "DELETE FROM " + m_history.table() + " WHERE version = " + std::to_string(migration.version.key()) + ";\n";
    read_strings_as_checked();
    const std::string prefix = "BEGIN;\n" + lock_timeout_sql(true);
    const std::string suffix = "\n;\n" + std::string(k_session_reset_sql) + remove + "COMMIT;";
    try {
        db::Transaction transaction(m_connection); // rolled back before the catch reports
        m_history.send(prefix + std::string(migration.down_run_sql) + suffix);
        transaction.commit();
    } catch (const db::SqlError& error) {
        rethrow_if_interrupted(error, "the revert of " + label(migration) + " was rolled back; it is still applied");
        auto details = describe_sql_error(error, migration.down_file, migration.down_sql, migration.down_first_line,
            count_chars(prefix), m_options.lock_timeout, m_options.statement_timeout);
        details.push_back(label(migration) + " is still applied (the revert was rolled back)");
        throw MigrationError(
            "revert of " + label(migration) + " failed: " + without_wrapper_sql(error.server().message, suffix),
            details, error.sqlstate());
    }
    m_reporter.finished(migration, Direction::down, since(start));
}

std::string_view run_sql(const Migration& migration, Direction direction)
{
    return direction == Direction::up ? migration.up_run_sql : migration.down_run_sql;
}

std::size_t first_line(const Migration& migration, Direction direction)
{
    return direction == Direction::up ? migration.up_first_line : migration.down_first_line;
}

std::vector<Statement> executable_statements(const Migration& migration, Direction direction)
{
    const std::string_view sql = run_sql(migration, direction);
    const bool goose = direction == Direction::up ? migration.up_goose_statements : migration.down_goose_statements;
    const std::size_t lines_before = first_line(migration, direction) - 1;
    std::vector<Statement> statements;
    for (Statement statement : goose ? split_goose_statements(sql) : split_statements(sql)) {
        if (!statement.blank) {
            statement.line += lines_before; // the file's line; offset stays in `sql`
            statements.push_back(statement);
        }
    }
    return statements;
}

namespace {

// A statement as a psql script must carry it. psql sends a script statement by statement,
// so a piece holding several (a goose StatementBegin/End block, which vidb sends as one
// message that PostgreSQL runs all or nothing) is wrapped in a transaction to stay all or
// nothing. The lone ';' ends a last statement written without one.
std::string script_text(std::string_view statement)
{
    int statements = 0;
    for (const Statement& part : split_statements(statement)) {
        statements += part.blank ? 0 : 1;
    }
    if (statements < 2) {
        return std::string(statement);
    }
    return "BEGIN;\n" + std::string(statement) + "\n;\nCOMMIT;";
}

} // namespace

std::string run_checksum(const Migration& migration, Direction direction)
{
    return std::string(direction == Direction::up ? migration.checksum : migration.down_checksum);
}

void Applier::run_statements(const Migration& migration, Direction direction, int start)
{
    const std::vector<Statement> statements = executable_statements(migration, direction);
    const int total = static_cast<int>(statements.size());
    const std::string version = migration.version.argument();
    m_history.start_progress(
        migration.version, migration.name, direction, run_checksum(migration, direction), start, total);
    // Session-level here: each statement runs on its own, outside a transaction. (Through
    // a transaction-pooling PgBouncer a session setting is best effort: see MIGRATIONS.md.)
    const std::string settings = lock_timeout_sql(false);
    // Undoes vidb's settings and what the file's statements SET (search_path, role, ...)
    // once the file is done, so that neither reaches the next migration: always, also
    // when vidb set nothing itself.
    const std::string reset_settings = k_session_reset_sql;
    if (!settings.empty()) {
        m_history.send(settings);
    }
    // On the way out with an error: do not leave the settings on a pooled connection.
    const auto reset_quietly = [&]() noexcept {
        try {
            m_history.send(reset_settings);
        } catch (const std::exception&) {
        }
    };
    // A resume: what the statements that already ran SET for the rest of the file, so the
    // rest runs as one uninterrupted run would have run it.
    // (Only the settings themselves: a goose block sent as one statement may hold a SET
    // among statements that must not run twice.)
    for (int index = 0; index < start && index < total; ++index) {
        for (const Statement& part : split_statements(statements[static_cast<std::size_t>(index)].text)) {
            if (!part.blank && is_session_setting(part.text)) {
                try {
                    m_history.send(part.text);
                } catch (...) {
                    reset_quietly();
                    throw;
                }
            }
        }
    }
    for (int index = start; index < total; ++index) {
        const Statement& statement = statements[static_cast<std::size_t>(index)];
        if (index > start && m_checkpoint) {
            try {
                m_checkpoint("statement " + std::to_string(index + 1) + " of " + std::to_string(total) + " of "
                    + (direction == Direction::up ? "" : "the revert of ") + label(migration) + " (it is partial"
                    + (direction == Direction::up ? "" : "ly reverted") + " now: vidb repair " + version
                    + " --resume finishes it)");
            } catch (...) {
                reset_quietly();
                throw;
            }
        }
        // What was invalid before, so that a failure reports only what this statement left.
        std::optional<std::set<std::string>> invalid_before;
        // (Not for a script: nothing runs, so there is nothing to look at.)
        if (!m_history.scripting() && may_leave_invalid_index(statement.text)) {
            invalid_before = invalid_index_oids(m_connection);
        }
        try {
            m_history.send(m_history.scripting() ? script_text(statement.text) : std::string(statement.text));
        } catch (const db::SqlError& error) {
            reset_quietly();
            std::vector<std::string> left_invalid;
            if (invalid_before) {
                try {
                    left_invalid = new_invalid_indexes(m_connection, *invalid_before);
                } catch (const std::exception&) {
                    // Cannot look: the resume check still looks for the index it names.
                }
            }
            m_history.record_failure(migration.version, index, error.server().message, left_invalid);
            fail_statement(migration, direction, statement, index, total, error, left_invalid);
        } catch (const db::ConnectionError& error) {
            const std::string step = std::to_string(index + 1);
            const bool up = direction == Direction::up;
            throw db::ConnectionError(std::string(error.what()) + " (at statement " + step + " of "
                    + std::to_string(total) + " of no-transaction " + (up ? "migration " : "revert of ")
                    + label(migration) + ")",
                { std::to_string(index) + " of its statements ran and stay applied; statement " + step
                        + " may have completed too (a CREATE INDEX CONCURRENTLY cut short leaves an INVALID index)",
                    "once the database is back: vidb status shows it as partial" + std::string(up ? "" : "ly reverted")
                        + "; then vidb repair " + version + " --resume" });
        }
        if (invalid_before) {
            try {
                refuse_skipped_invalid_index(migration, direction, statement, index, total);
            } catch (...) {
                reset_quietly();
                throw;
            }
        }
        m_history.record_progress(migration.version, index + 1);
        m_reporter.statement_ran(migration, index + 1, total, statement.line);
    }
    m_history.send(reset_settings);
}

void Applier::refuse_skipped_invalid_index(
    const Migration& migration, Direction direction, const Statement& statement, int index, int total)
{
    // `CREATE INDEX CONCURRENTLY IF NOT EXISTS` succeeds without building anything when an
    // INVALID index of that name is left from an earlier failed build (say, after
    // `repair --forget` without the DROP): counting it as done would record an index that
    // does not work.
    const auto created = created_index(statement.text);
    if (!created) {
        return;
    }
    const auto invalid = still_invalid(m_connection, {}, created);
    if (invalid.empty()) {
        return;
    }
    const std::string version = migration.version.argument();
    const bool up = direction == Direction::up;
    m_history.record_failure(migration.version, index, "the index " + invalid.front() + " is INVALID", invalid);
    throw MigrationError((up ? "migration " : "revert of ") + label(migration) + " stopped at statement "
            + std::to_string(index + 1) + " of " + std::to_string(total) + " (line " + std::to_string(statement.line)
            + "): the index " + invalid.front() + " is INVALID, left by an earlier failed build",
        { "the statement starts at " + std::string(up ? migration.up_file : migration.down_file) + ":"
                + std::to_string(statement.line),
            "IF NOT EXISTS skipped the existing index, so nothing was built; it is not counted as done",
            "drop it: " + drop_statement(invalid.front()) + "  then: vidb repair " + version + " --resume" },
        "");
}

void Applier::fail_statement(const Migration& migration, Direction direction, const Statement& statement, int index,
    int total, const db::SqlError& error, const std::vector<std::string>& invalid_indexes)
{
    const bool up = direction == Direction::up;
    const std::string_view sql = up ? migration.up_sql : migration.down_sql; // quote the file as written
    const std::string_view file_name = up ? migration.up_file : migration.down_file;
    const std::string version = migration.version.argument();
    // Positions are relative to the statement sent; shift them into the file.
    db::ServerError shifted = error.server();
    if (shifted.position > 0) {
        shifted.position += static_cast<int>(count_chars(sql.substr(0, statement.offset)));
    }
    auto details = describe_sql_error(db::SqlError(shifted), file_name, sql, first_line(migration, direction), 0,
        m_options.lock_timeout, m_options.statement_timeout);
    if (shifted.position == 0) {
        details.insert(details.begin(),
            "the statement starts at " + std::string(file_name) + ":" + std::to_string(statement.line));
    }
    const std::string of_it = up ? "" : " of its down";
    details.push_back((index == 0 ? "no statement" + of_it + " completed"
                                  : "statements 1-" + std::to_string(index) + " of " + std::to_string(total) + of_it
                                  + " ran and stay applied")
        + " (no-transaction " + (up ? "migration" : "revert") + ")");
    for (const auto& name : invalid_indexes) {
        details.push_back("statement " + std::to_string(index + 1) + " left the INVALID index " + name
            + " behind (it exists but is not used, and IF NOT EXISTS would skip it); drop it before resuming: "
            + drop_statement(name));
    }
    if (up) {
        details.push_back("vidb status shows it as partial; fix the cause, then: vidb repair " + version
            + " --resume  (or undo by hand, then: vidb repair " + version + " --forget)");
    } else {
        details.push_back("vidb status shows it as partially reverted; fix the cause, then: vidb repair " + version
            + " --resume to finish the revert  (or redo what the down undid by hand, then: vidb repair " + version
            + " --forget; it stays applied)");
    }
    MigrationError failure((up ? "migration " : "revert of ") + label(migration) + " failed at statement "
            + std::to_string(index + 1) + " of " + std::to_string(total) + " (line " + std::to_string(statement.line)
            + "): " + error.server().message,
        details, error.sqlstate());
    if (error.canceled() && db::interrupted_signal() != 0) {
        failure.set_exit_status(db::exit_code_for_signal(db::interrupted_signal()));
    }
    throw failure;
}

} // namespace vidb::migrate
