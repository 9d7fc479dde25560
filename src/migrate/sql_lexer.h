#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// One piece of a SQL script. Pieces are contiguous and cover the whole input, so
// concatenating every piece's text reproduces the input byte for byte.
struct Statement {
    std::size_t offset = 0; // byte offset of the piece in the input
    std::size_t length = 0; // bytes, including the terminating ';' when present
    std::size_t line = 1; // 1-based line of the first non-blank, non-comment byte (or of offset when blank)
    // Only whitespace and comments (plus at most the terminating ';' of an empty
    // statement): nothing to send to the server. An unclosed /* comment is not
    // blank, so the server reports it instead of it silently eating the script.
    bool blank = false;
    std::string_view text; // view into the input: input.substr(offset, length)
};

// Which BEGIN opens a routine body whose semicolons do not end the statement.
enum class BodyRule {
    // psqlscan.l (PostgreSQL 15): any BEGIN in a CREATE [OR REPLACE] FUNCTION|PROCEDURE
    // statement outside parentheses, and CASE inside it. How psql (and the statement by
    // statement applier) sends a script.
    psql,
    // The server's grammar: only BEGIN ATOMIC opens a body; a function or type named
    // "begin" does not. Where the server ends statements in one query string, which is
    // what a check of a whole transactional file needs.
    server,
};

// Splits at top-level semicolons the way psql does (PostgreSQL 15's psqlscan.l),
// with standard_conforming_strings on. Never fails: unterminated quotes or
// comments make the rest of the input the last piece. Backslash meta-commands
// and :variables are not interpreted. Lines count '\n' only.
std::vector<Statement> split_statements(std::string_view sql, BodyRule rule = BodyRule::psql);

// Index of the first byte at or after `i` that is not whitespace or a comment (`--` to the
// end of the line, nested /* */). An unclosed block comment runs to the end of `text`.
std::size_t skip_trivia(std::string_view text, std::size_t i);

enum class TokenKind {
    word, // a keyword or an unquoted identifier
    backslash, // a '\' outside quotes and comments: not SQL, psql's meta-command marker
    other, // anything else: a literal, a quoted identifier, a number, an operator, '(' ...
};

// Sees what the splitter sees, in input order, for checks that need more than the
// statement boundaries (source_check.cpp). Offsets are into the scanned input.
class SqlObserver {
public:
    virtual ~SqlObserver() = default;
    virtual void token(TokenKind /*kind*/, std::size_t /*offset*/, std::size_t /*length*/) { }
    // A `--` comment (up to, not including, its line end) or a whole /* */ comment.
    virtual void comment(std::size_t /*offset*/, std::size_t /*length*/) { }
    virtual void statement(const Statement& /*statement*/) { }
};

// split_statements() reporting to an observer instead of collecting the pieces.
void scan_statements(std::string_view sql, SqlObserver& observer, BodyRule rule = BodyRule::psql);

} // namespace vidb::migrate
