#include "migrate/migration_error.h"

#include "migrate/error_location.h"
#include "migrate/source_check.h"

#include <algorithm>

namespace vidb::migrate {

std::vector<std::string> describe_sql_error(const db::SqlError& error, std::string_view file_name, std::string_view sql,
    std::size_t first_line, std::size_t prefix_chars, const std::string& lock_timeout,
    const std::string& statement_timeout)
{
    const auto& server = error.server();
    std::vector<std::string> details;
    if (const auto location = locate_error(sql, server.position, prefix_chars)) {
        const std::string number = std::to_string(location->line + first_line - 1);
        details.push_back("at " + std::string(file_name) + ":" + number + ":" + std::to_string(location->column));
        details.push_back(number + " | " + location->line_text);
        details.push_back(std::string(number.size(), ' ') + " | " + location->caret);
    } else {
        details.push_back("in " + std::string(file_name));
    }
    details.push_back("SQLSTATE " + server.sqlstate);
    if (!server.detail.empty()) {
        details.push_back("detail: " + server.detail);
    }
    if (!server.hint.empty()) {
        details.push_back("hint: " + server.hint);
    }
    // The server's context spans lines (a PL/pgSQL call stack): each stays a whole line.
    bool first = true;
    for (std::size_t pos = 0; pos < server.context.size();) {
        const std::size_t end = std::min(server.context.find('\n', pos), server.context.size());
        if (end > pos) {
            details.push_back((first ? "context: " : "         ") + server.context.substr(pos, end - pos));
            first = false;
        }
        pos = end + 1;
    }
    // 25001 active_sql_transaction: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block".
    if (server.sqlstate == "25001" && !check_migration_source(sql).no_transaction) {
        details.push_back("advice: this statement cannot run in a transaction; put `-- vidb:no-transaction` as the "
                          "first line of "
            + std::string(file_name)
            + " so vidb runs it statement by statement (best with this statement alone "
              "in its own migration)");
    }
    if (error.lock_timeout()) {
        details.push_back("advice: the migration waited longer than lock_timeout (" + lock_timeout
            + ") for a lock held by other sessions (look at pg_stat_activity); retry at a quieter "
              "time, with --lock-retries N, or raise --lock-timeout");
    }
    // 57014 is also Ctrl-C and pg_cancel_backend(); those say "due to user request".
    if (error.canceled() && server.message.find("user request") == std::string::npos) {
        if (statement_timeout.empty() || statement_timeout == "0") {
            details.push_back("advice: the statement ran longer than statement_timeout allows, and vidb set no "
                              "limit (--statement-timeout): the migration's own SET statement_timeout did; remove "
                              "it or raise it");
        } else {
            details.push_back("advice: the statement ran longer than statement_timeout (" + statement_timeout
                + "), which vidb set from --statement-timeout (env VIDB_STATEMENT_TIMEOUT); raise it, or leave "
                  "it unset for no limit");
        }
    }
    return details;
}

} // namespace vidb::migrate
