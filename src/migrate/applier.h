#pragma once

#include "db/connection.h"
#include "migrate/catalog.h"
#include "migrate/history.h"
#include "migrate/reporter.h"

#include <string>

namespace vidb::migrate {

struct ApplyOptions {
    std::string lock_timeout = "10s"; // for migration statements; "0" disables
    std::string statement_timeout = "0"; // for migration statements; "0": no limit, whatever the role's default
    int lock_retries = 0; // retries of a transactional migration after a lock timeout or deadlock
    std::string applied_by;
};

enum class ApplyResult { done, already_applied };

// Runs one migration up or down and keeps the history in step with it.
// Transactional files: BEGIN, history row, the SQL and COMMIT in one message (one round
// trip). `-- vidb:no-transaction` files: statement by statement, progress recorded after
// each so a failure part way is visible in `status` and resumable.
class Applier {
public:
    Applier(History& history, Reporter& reporter, ApplyOptions options);

    ApplyResult apply(const Migration& migration);
    void revert(const Migration& migration);
    // Continues a partial no-transaction migration after statement `done`.
    void resume(const Migration& migration, int done);

private:
    // may_retry: let a lock timeout or deadlock escape as SqlError so apply() can retry.
    ApplyResult apply_in_transaction(const Migration& migration, bool may_retry);
    void run_statements(
        const Migration& migration, std::string_view sql, std::string_view file_name, int start, bool track_progress);
    std::string lock_timeout_sql(bool local) const;

    History& m_history;
    db::Connection& m_connection;
    Reporter& m_reporter;
    ApplyOptions m_options;
};

} // namespace vidb::migrate
