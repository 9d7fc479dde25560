#include "migrate/applier.h"

#include "db/error.h"
#include "db/interrupt.h"
#include "db/server_features.h"
#include "migrate/error_location.h"
#include "migrate/migration_error.h"
#include "migrate/planner.h"
#include "migrate/session.h"
#include "migrate/sql_lexer.h"

#include <chrono>
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
    return sql;
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
    resume(migration, 0);
    return ApplyResult::done;
}

ApplyResult Applier::apply_in_transaction(const Migration& migration, bool may_retry)
{
    const auto start = clock::now();
    m_reporter.starting(migration, Direction::up);
    const std::string version = std::to_string(migration.version);
    const std::string prefix = "BEGIN;\n" + lock_timeout_sql(true) + "INSERT INTO " + m_history.table()
        + " (version, name, checksum, applied_by) VALUES (" + version + ", "
        + m_connection.quote_literal(migration.name) + ", " + m_connection.quote_literal(migration.checksum) + ", "
        + m_connection.quote_literal(m_options.applied_by) + ");\n";
    // A newline first: the file may end inside a `--` comment. Then undo the file's session
    // settings (search_path, role, ...) before vidb's own write, in the same transaction.
    const std::string suffix = "\n;\n" + std::string(k_session_reset_sql) + "UPDATE " + m_history.table()
        + " SET execution_ms = (pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - pg_catalog.now()) * "
          "1000)::integer WHERE version = "
        + version + ";\nCOMMIT;";
    try {
        m_connection.exec(prefix + std::string(migration.up_run_sql) + suffix);
    } catch (const db::SqlError& error) {
        m_connection.rollback_if_in_transaction();
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
            details = describe_sql_error(error, migration.up_file, migration.up_sql, count_chars(prefix),
                m_options.lock_timeout, m_options.statement_timeout);
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

void Applier::resume(const Migration& migration, int done)
{
    const auto start = clock::now();
    m_reporter.starting(migration, Direction::up);
    run_statements(migration, migration.up_run_sql, migration.up_file, done, true);
    const std::string version = std::to_string(migration.version);
    m_connection.exec("BEGIN;\nINSERT INTO " + m_history.table()
        + " (version, name, checksum, execution_ms, applied_by) VALUES (" + version + ", "
        + m_connection.quote_literal(migration.name) + ", " + m_connection.quote_literal(migration.checksum) + ", "
        + std::to_string(since(start).count()) + ", " + m_connection.quote_literal(m_options.applied_by)
        + ");\nDELETE FROM " + m_history.progress_table() + " WHERE version = " + version + ";\nCOMMIT;");
    m_reporter.finished(migration, Direction::up, since(start));
}

void Applier::revert(const Migration& migration)
{
    const auto start = clock::now();
    m_reporter.starting(migration, Direction::down);
    const std::string remove
        = "DELETE FROM " + m_history.table() + " WHERE version = " + std::to_string(migration.version) + ";\n";
    if (migration.down_no_transaction) {
        run_statements(migration, migration.down_run_sql, migration.down_file, 0, false);
        m_connection.exec(remove);
    } else {
        const std::string prefix = "BEGIN;\n" + lock_timeout_sql(true);
        const std::string suffix = "\n;\n" + std::string(k_session_reset_sql) + remove + "COMMIT;";
        try {
            m_connection.exec(prefix + std::string(migration.down_run_sql) + suffix);
        } catch (const db::SqlError& error) {
            m_connection.rollback_if_in_transaction();
            rethrow_if_interrupted(
                error, "the revert of " + label(migration) + " was rolled back; it is still applied");
            auto details = describe_sql_error(error, migration.down_file, migration.down_sql, count_chars(prefix),
                m_options.lock_timeout, m_options.statement_timeout);
            details.push_back(label(migration) + " is still applied (the revert was rolled back)");
            throw MigrationError(
                "revert of " + label(migration) + " failed: " + without_wrapper_sql(error.server().message, suffix),
                details, error.sqlstate());
        }
    }
    m_reporter.finished(migration, Direction::down, since(start));
}

void Applier::run_statements(
    const Migration& migration, std::string_view sql, std::string_view file_name, int start, bool track_progress)
{
    std::vector<Statement> statements;
    for (const Statement& statement : split_statements(sql)) {
        if (!statement.blank) {
            statements.push_back(statement);
        }
    }
    const int total = static_cast<int>(statements.size());
    const std::string version = std::to_string(migration.version);
    if (track_progress) {
        m_connection.exec("INSERT INTO " + m_history.progress_table()
            + " (version, name, statements_done, statements_total) VALUES (" + version + ", "
            + m_connection.quote_literal(migration.name) + ", " + std::to_string(start) + ", " + std::to_string(total)
            + ") ON CONFLICT (version) DO UPDATE SET statements_total = " + std::to_string(total)
            + ", updated_at = now()");
    }
    // Session-level here: each statement runs on its own, outside a transaction. (Through
    // a transaction-pooling PgBouncer a session setting is best effort: see MIGRATIONS.md.)
    const std::string settings = lock_timeout_sql(false);
    // Also undoes what the file's statements SET (search_path, role, ...) before vidb writes.
    const std::string reset_settings = k_session_reset_sql;
    if (!settings.empty()) {
        m_connection.exec(settings);
    }
    for (int index = start; index < total; ++index) {
        const Statement& statement = statements[static_cast<std::size_t>(index)];
        try {
            m_connection.exec(statement.text);
        } catch (const db::SqlError& error) {
            std::string ran = index == 0
                ? std::string("no statement of it ran")
                : "statements 1-" + std::to_string(index) + " of " + std::to_string(total) + " ran and stay applied";
            if (!settings.empty()) {
                try {
                    m_connection.exec(reset_settings); // do not leave it on a pooled connection
                } catch (const std::exception&) {
                }
            }
            if (track_progress) {
                try {
                    m_connection.exec("UPDATE " + m_history.progress_table() + " SET statements_done = "
                        + std::to_string(index) + ", last_error = " + m_connection.quote_literal(error.server().message)
                        + ", updated_at = now() WHERE version = " + version);
                } catch (const std::exception&) {
                    // The progress row still says how far it got before this statement.
                }
            }
            // Positions are relative to the statement sent; shift them into the file.
            db::ServerError shifted = error.server();
            if (shifted.position > 0) {
                shifted.position += static_cast<int>(count_chars(sql.substr(0, statement.offset)));
            }
            auto details = describe_sql_error(
                db::SqlError(shifted), file_name, sql, 0, m_options.lock_timeout, m_options.statement_timeout);
            if (shifted.position == 0) {
                details.insert(details.begin(),
                    "the statement starts at " + std::string(file_name) + ":" + std::to_string(statement.line));
            }
            details.push_back(ran + " (no-transaction migration)");
            if (track_progress) {
                details.push_back("vidb status shows it as partial; fix the cause, then: vidb repair " + version
                    + " --resume  (or undo by hand, then: vidb repair " + version + " --forget)");
            }
            MigrationError failure((track_progress ? "migration " : "revert of ") + label(migration)
                    + " failed at statement " + std::to_string(index + 1) + " of " + std::to_string(total) + " (line "
                    + std::to_string(statement.line) + "): " + error.server().message,
                details, error.sqlstate());
            if (error.canceled() && db::interrupted_signal() != 0) {
                failure.set_exit_status(db::exit_code_for_signal(db::interrupted_signal()));
            }
            throw failure;
        } catch (const db::ConnectionError& error) {
            if (!track_progress) {
                throw;
            }
            const std::string step = std::to_string(index + 1);
            throw db::ConnectionError(std::string(error.what()) + " (at statement " + step + " of "
                    + std::to_string(total) + " of no-transaction migration " + label(migration) + ")",
                { std::to_string(index) + " of its statements ran and stay applied; statement " + step
                        + " may have completed too",
                    "once the database is back: vidb status shows it as partial; then vidb repair " + version
                        + " --resume" });
        }
        if (track_progress) {
            m_connection.exec("UPDATE " + m_history.progress_table() + " SET statements_done = "
                + std::to_string(index + 1) + ", updated_at = now() WHERE version = " + version);
        }
        m_reporter.statement_ran(migration, index + 1, total, statement.line);
    }
    if (!settings.empty()) {
        m_connection.exec(reset_settings);
    }
}

} // namespace vidb::migrate
