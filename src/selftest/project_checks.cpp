#include "selftest/project_checks.h"

#include "db/error.h"
#include "db/interrupt.h"
#include "migrate/error_location.h"
#include "migrate/sql_lexer.h"

#include <fmt/format.h>

#include <cctype>

namespace vidb::selftest {

namespace {

// The first `count` words of a statement, upper-cased.
std::vector<std::string> leading_words(std::string_view text, std::size_t count)
{
    std::vector<std::string> words;
    for (std::size_t i = migrate::skip_trivia(text, 0); i < text.size() && words.size() < count;
         i = migrate::skip_trivia(text, i)) {
        if (!std::isalpha(static_cast<unsigned char>(text[i]))) {
            break;
        }
        std::string word;
        while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) {
            word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
        }
        words.push_back(word);
    }
    return words;
}

// COMMIT, ROLLBACK and friends would end (or commit) the transaction vidb rolls back.
bool ends_transaction(std::string_view text)
{
    const auto words = leading_words(text, 2);
    if (words.empty()) {
        return false;
    }
    const std::string& first = words[0];
    const std::string second = words.size() > 1 ? words[1] : "";
    return first == "BEGIN" || first == "START" || first == "COMMIT" || first == "END" || first == "ABORT"
        || (first == "ROLLBACK" && second != "TO") || (first == "PREPARE" && second == "TRANSACTION");
}

std::size_t line_at(std::string_view sql, std::size_t offset)
{
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset && i < sql.size(); ++i) {
        line += sql[i] == '\n' ? 1 : 0;
    }
    return line;
}

// Where the body of a DO statement starts: after its opening dollar quote (or apostrophe).
std::optional<std::size_t> body_start(std::string_view statement)
{
    for (std::size_t i = migrate::skip_trivia(statement, 0); i < statement.size(); ++i) {
        if (statement[i] == '\'') {
            return i + 1;
        }
        if (statement[i] != '$') {
            continue;
        }
        std::size_t j = i + 1;
        while (
            j < statement.size() && (std::isalnum(static_cast<unsigned char>(statement[j])) || statement[j] == '_')) {
            ++j;
        }
        if (j < statement.size() && statement[j] == '$'
            && (j == i + 1 || !std::isdigit(static_cast<unsigned char>(statement[i + 1])))) {
            return j + 1;
        }
    }
    return std::nullopt;
}

std::string one_line(const std::string& text)
{
    std::string out;
    for (const char c : text) {
        out += c == '\n' ? std::string("; ") : std::string(1, c);
    }
    return out;
}

Outcome describe_failure(const db::SqlError& error, const migrate::Check& check, const migrate::Statement& statement)
{
    const auto& server = error.server();
    std::vector<std::string> details;
    std::size_t line = statement.line;
    const std::size_t prefix = migrate::count_chars(check.sql.substr(0, statement.offset));
    if (const auto location
        = migrate::locate_error(check.sql, server.position > 0 ? server.position + static_cast<int>(prefix) : 0, 0)) {
        line = location->line;
        const std::string number = std::to_string(location->line);
        details.push_back(number + " | " + location->line_text);
        details.push_back(std::string(number.size(), ' ') + " | " + location->caret);
    } else if (const std::size_t in_block
        = do_block_line(check.sql.substr(statement.offset), line_at(check.sql, statement.offset), server.context)) {
        line = in_block;
    }
    details.push_back("SQLSTATE " + server.sqlstate);
    if (!server.detail.empty()) {
        details.push_back("detail: " + server.detail);
    }
    if (!server.hint.empty()) {
        details.push_back("hint: " + server.hint);
    }
    if (!server.context.empty()) {
        details.push_back("context: " + one_line(server.context));
    }
    if (error.lock_timeout()) {
        details.push_back(
            fmt::format("the check waited longer than {} for a lock other sessions hold", k_check_lock_timeout));
    }
    return failed(fmt::format("{}:{}: {}", check.file_name, line, server.message), details);
}

} // namespace

std::size_t do_block_line(std::string_view statement, std::size_t line, const std::string& context)
{
    static constexpr std::string_view k_marker = "inline_code_block line ";
    const auto at = context.find(k_marker);
    const auto start = body_start(statement);
    if (at == std::string::npos || !start) {
        return 0;
    }
    std::size_t in_body = 0;
    for (std::size_t i = at + k_marker.size();
         i < context.size() && std::isdigit(static_cast<unsigned char>(context[i])); ++i) {
        in_body = in_body * 10 + static_cast<std::size_t>(context[i] - '0');
    }
    if (in_body == 0) {
        return 0;
    }
    // PL/pgSQL counts the body's lines from 1, starting right after the opening quote.
    return line + line_at(statement, *start - 1) - 1 + in_body - 1;
}

Outcome run_project_check(db::Connection& connection, const migrate::Check& check, const std::string& read_only_reason)
{
    std::vector<migrate::Statement> statements;
    for (const auto& statement : migrate::split_statements(check.sql)) {
        if (statement.blank) {
            continue;
        }
        if (ends_transaction(statement.text)) {
            return failed(
                fmt::format("{}:{}: transaction control is not allowed in a check", check.file_name, statement.line),
                { "vidb runs every check in one transaction and rolls it back; remove COMMIT/ROLLBACK/BEGIN "
                  "(SAVEPOINT and ROLLBACK TO SAVEPOINT are fine)" });
        }
        statements.push_back(statement);
    }
    if (statements.empty()) {
        return skipped(std::string(check.file_name) + " holds no SQL statement");
    }
    // Never committed: whatever happens below, the guard ends the transaction in ROLLBACK.
    const db::Transaction rollback(connection);
    connection.exec(fmt::format("BEGIN; SET LOCAL statement_timeout = '{}'; SET LOCAL lock_timeout = '{}'",
        k_check_statement_timeout, k_check_lock_timeout));
    for (const auto& statement : statements) {
        try {
            connection.exec(statement.text);
        } catch (const db::SqlError& error) {
            if (error.canceled()) {
                db::throw_if_interrupted("the check's transaction was rolled back");
            }
            if (!read_only_reason.empty() && error.sqlstate() == "25006") {
                return skipped("it writes, and " + read_only_reason);
            }
            return describe_failure(error, check, statement);
        }
        if (!connection.in_transaction()) {
            return failed(
                fmt::format("{}:{}: the statement ended vidb's transaction", check.file_name, statement.line));
        }
    }
    return passed(""); // the guard rolls the check's writes back
}

} // namespace vidb::selftest
