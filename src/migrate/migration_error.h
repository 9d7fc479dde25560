#pragma once

#include "common/error.h"
#include "db/error.h"
#include "migrate/catalog.h"

#include <string>
#include <string_view>

namespace vidb::migrate {

// A migration's SQL failed. The message names the migration; the details give the
// file:line:column with the SQL line and a caret, SQLSTATE, detail, hint and what is
// left behind.
class MigrationError : public Error {
public:
    MigrationError(const std::string& message, std::vector<std::string> details, std::string sqlstate)
        : Error(ExitCode::failure, message, std::move(details))
        , m_sqlstate(std::move(sqlstate))
    {
    }
    const std::string& sqlstate() const { return m_sqlstate; }

private:
    std::string m_sqlstate;
};

// Builds the report for a server error raised while running `sql` (from `file_name`, whose
// line `first_line` it starts at: a dbmate or goose section starts part way in), sent
// after `prefix_chars` characters of other text in the same query string.
// lock_timeout / statement_timeout: what vidb set, named in the advice for 55P03 / 57014.
std::vector<std::string> describe_sql_error(const db::SqlError& error, std::string_view file_name, std::string_view sql,
    std::size_t first_line, std::size_t prefix_chars, const std::string& lock_timeout,
    const std::string& statement_timeout = "0");

} // namespace vidb::migrate
