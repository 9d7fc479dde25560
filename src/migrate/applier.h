#pragma once

#include "db/connection.h"
#include "db/error.h"
#include "migrate/catalog.h"
#include "migrate/history.h"
#include "migrate/reporter.h"
#include "migrate/sql_lexer.h"

#include <functional>
#include <string>
#include <vector>

namespace vidb::migrate {

struct ApplyOptions {
    std::string lock_timeout = "10s"; // for migration statements; "0" disables
    std::string statement_timeout = "0"; // for migration statements; "0": no limit, whatever the role's default
    int lock_retries = 0; // retries of a transactional migration after a lock timeout or deadlock
    std::string applied_by;
};

enum class ApplyResult { done, already_applied };

// The SQL a no-transaction run of this direction sends statement by statement (the one
// place that picks it: the applier runs it, a resume check counts and reads it).
std::string_view run_sql(const Migration& migration, Direction direction);
// The statements a no-transaction run of this direction sends, in order (blank pieces
// dropped): the lexer's (split_statements(), as psql sends a script), or goose's for a
// goose section (split_goose_statements(): one per StatementBegin/End block, as goose
// sends it). What the journal counts and `repair --resume` skips. Each statement's line
// is the file's (a dbmate or goose section starts part way in); its offset is in run_sql().
std::vector<Statement> executable_statements(const Migration& migration, Direction direction);
// The line of its file that this direction's SQL starts at (1 but for a dbmate or goose section).
std::size_t first_line(const Migration& migration, Direction direction);
// The SHA-256 a no-transaction run of this direction journals: of the up file (the
// history's checksum) or of the down file. A resume compares it with the file at hand.
std::string run_checksum(const Migration& migration, Direction direction);

// Runs one migration up or down and keeps the history in step with it.
// Transactional files: BEGIN, history row, the SQL and COMMIT in one message (one round
// trip). `-- vidb:no-transaction` files, up or down: statement by statement, journaled in
// vidb_migration_progress (direction, file checksum, statements done) after each, so a
// failure part way is visible in `status` and resumable; the history row is written
// (up) or deleted (down) together with the journal row's deletion at the end. Every
// string it sends goes through History::send, so that --dry-run --sql prints exactly
// these strings; its reads (INVALID index checks) go to the connection.
class Applier {
public:
    Applier(History& history, Reporter& reporter, ApplyOptions options);

    ApplyResult apply(const Migration& migration);
    void revert(const Migration& migration);
    // Continues a partial no-transaction run in `direction` after statement `done`
    // (the caller checked that the journal row belongs to this very file).
    void resume(const Migration& migration, Direction direction, int done);

    // Called between two statements of a no-transaction file with what comes next; it
    // throws to stop there (a signal, a lost migration lock), leaving the run partial.
    void set_checkpoint(std::function<void(const std::string& next_step)> checkpoint)
    {
        m_checkpoint = std::move(checkpoint);
    }

private:
    // may_retry: let a lock timeout or deadlock escape as SqlError so apply() can retry.
    ApplyResult apply_in_transaction(const Migration& migration, bool may_retry);
    void run_statements(const Migration& migration, Direction direction, int start);
    // Throws when a statement that creates a named index left it INVALID (IF NOT EXISTS
    // skipped an invalid one); the run is then partial at that statement.
    void refuse_skipped_invalid_index(
        const Migration& migration, Direction direction, const Statement& statement, int index, int total);
    [[noreturn]] void fail_statement(const Migration& migration, Direction direction, const Statement& statement,
        int index, int total, const db::SqlError& error, const std::vector<std::string>& invalid_indexes);
    std::string lock_timeout_sql(bool local) const;
    // Before sending a whole file as one string: the server must read its quotes as the
    // source checks did (standard_conforming_strings = on), or a database default of off
    // could turn 'a\''; COMMIT; --' into a COMMIT that splits the history row from the
    // migration. A separate round trip only where that default is off.
    void read_strings_as_checked();

    History& m_history;
    db::Connection& m_connection;
    Reporter& m_reporter;
    ApplyOptions m_options;
    std::function<void(const std::string&)> m_checkpoint;
};

} // namespace vidb::migrate
