#include "migrate/sql_lexer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <utility>

namespace vidb::migrate {

namespace {

// Every helper below moves forward only (or re-reads a short lookahead once), so a
// split is linear in the input size whatever the bytes are.

constexpr std::size_t k_npos = std::string_view::npos;

// The byte at i, or '\0' past the end; only ever compared with non-NUL characters.
char at(std::string_view sql, std::size_t i)
{
    return i < sql.size() ? sql[i] : '\0';
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

// Every byte >= 0x80 counts as a letter, whatever the encoding (as in scan.l).
bool is_ident_start(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

// Dollar-quote tags cannot hold '$', but identifiers can: "a$$b" is one word, not a quote.
bool is_tag_char(char c)
{
    return is_ident_start(c) || is_digit(c);
}

// `keyword` is lower case; matching is ASCII case-insensitive, like pg_strcasecmp().
bool is_keyword(std::string_view word, std::string_view keyword)
{
    return std::equal(word.begin(), word.end(), keyword.begin(), keyword.end(),
        [](char w, char k) { return (w >= 'A' && w <= 'Z' ? static_cast<char>(w - 'A' + 'a') : w) == k; });
}

// Numbers (and a $1 parameter's digits) with any trailing junk; never a '$',
// so "1$$" still opens a dollar quote as it does in psql.
std::size_t skip_number(std::string_view sql, std::size_t pos)
{
    while (is_tag_char(at(sql, pos)) || at(sql, pos) == '.') {
        ++pos;
    }
    return pos;
}

// From just after the opening quote to just after the closing one; a doubled quote
// stands for itself. Unterminated: the end of the input.
std::size_t skip_quoted(std::string_view sql, std::size_t pos, char quote)
{
    std::size_t close = sql.find(quote, pos);
    while (close != k_npos && at(sql, close + 1) == quote) {
        close = sql.find(quote, close + 2);
    }
    return close == k_npos ? sql.size() : close + 1;
}

// SQL joins 'a' <newline> 'b' into one literal, and the continuation keeps E'' escaping.
// Returns the continuing quote's position, or npos. Mirrors scan.l's {quotecontinue}:
// spaces and -- comments around at least one newline.
std::size_t continued_quote(std::string_view sql, std::size_t pos)
{
    bool newline = false;
    while (pos < sql.size()) {
        const char c = sql[pos];
        if (c == '\n' || c == '\r') {
            newline = true;
            ++pos;
        } else if (c == ' ' || c == '\t' || c == '\f') {
            ++pos;
        } else if (c == '-' && at(sql, pos + 1) == '-') {
            pos = sql.find_first_of("\r\n", pos); // the comment must end in a newline
            if (pos == k_npos) {
                return k_npos;
            }
        } else {
            break;
        }
    }
    return newline && at(sql, pos) == '\'' ? pos : k_npos;
}

// E'...': a backslash escapes the next byte, quotes double, and the literal may go on
// after a newline.
std::size_t skip_escape_string(std::string_view sql, std::size_t pos)
{
    for (pos = sql.find_first_of("\\'", pos); pos != k_npos; pos = sql.find_first_of("\\'", pos)) {
        if (sql[pos] == '\\' || at(sql, pos + 1) == '\'') {
            pos += 2; // an escaped byte or a doubled quote (past the end, find gives npos)
        } else if (const std::size_t next = continued_quote(sql, pos + 1); next != k_npos) {
            pos = next + 1;
        } else {
            return pos + 1;
        }
    }
    return sql.size();
}

// Block comments nest. Returns the end, or npos when the comment is never closed.
std::size_t skip_block_comment(std::string_view sql, std::size_t pos)
{
    std::size_t depth = 0;
    while (pos + 1 < sql.size()) {
        if (sql[pos] == '/' && sql[pos + 1] == '*') {
            ++depth;
            pos += 2;
        } else if (sql[pos] == '*' && sql[pos + 1] == '/') {
            pos += 2;
            if (--depth == 0) {
                return pos;
            }
        } else {
            ++pos;
        }
    }
    return k_npos;
}

// Length of a $tag$ (or $$) delimiter starting at pos, or 0 if there is none.
std::size_t dollar_delimiter(std::string_view sql, std::size_t pos)
{
    std::size_t end = pos + 1;
    if (is_ident_start(at(sql, end))) {
        do {
            ++end;
        } while (is_tag_char(at(sql, end)));
    }
    return at(sql, end) == '$' ? end + 1 - pos : 0;
}

// At a '$': a whole dollar-quoted string, or just the '$' (as in the parameter $1).
std::size_t skip_dollar(std::string_view sql, std::size_t pos)
{
    const std::size_t length = dollar_delimiter(sql, pos);
    if (length == 0) {
        return pos + 1;
    }
    const std::string_view delimiter = sql.substr(pos, length);
    for (pos = sql.find('$', pos + length); pos != k_npos; pos = sql.find('$', pos)) {
        const std::size_t found = dollar_delimiter(sql, pos);
        if (sql.substr(pos, found) == delimiter) {
            return pos + found;
        }
        // A wrong delimiter's closing '$' may open the right one: $a$ ... $b$a$.
        pos += found > 0 ? found - 1 : 1;
    }
    return sql.size();
}

// psqlscan.l's begin_depth rule (PostgreSQL 15): BEGIN/CASE ... END nest only in a
// statement that starts CREATE [OR REPLACE] {FUNCTION|PROCEDURE}, and only outside
// parentheses, so a transaction's top-level "BEGIN;" still ends at its semicolon.
// With BodyRule::server only BEGIN directly followed by ATOMIC opens a body.
class BodyTracker {
public:
    explicit BodyTracker(BodyRule rule)
        : m_rule(rule)
    {
    }
    void on_word(std::string_view word, std::size_t paren_depth);
    void on_other_token() { m_pending_begin = false; }
    void on_statement_end()
    {
        m_word_count = 0;
        m_pending_begin = false;
    }
    bool inside_body() const { return m_depth > 0; }

private:
    BodyRule m_rule;
    // First letter of CREATE/OR/REPLACE/FUNCTION/PROCEDURE for each of the first four words.
    std::array<char, 4> m_marks {};
    std::size_t m_word_count = 0;
    std::size_t m_depth = 0;
    bool m_pending_begin = false; // BodyRule::server: the previous token was BEGIN
};

void BodyTracker::on_word(std::string_view word, std::size_t paren_depth)
{
    if (m_word_count == 0) {
        m_marks.fill('\0');
    }
    for (std::string_view mark : { "create", "function", "procedure", "or", "replace" }) {
        if (m_word_count < m_marks.size() && is_keyword(word, mark)) {
            m_marks[m_word_count] = mark[0];
        }
    }
    ++m_word_count;
    const bool pending_begin = std::exchange(m_pending_begin, false);

    const auto& m = m_marks;
    const bool routine
        = m[0] == 'c' && (m[1] == 'f' || m[1] == 'p' || (m[1] == 'o' && m[2] == 'r' && (m[3] == 'f' || m[3] == 'p')));
    if (!routine || paren_depth != 0) {
        return;
    }
    if (m_rule == BodyRule::server && m_depth == 0) {
        if (pending_begin && is_keyword(word, "atomic")) {
            m_depth = 1;
        } else {
            m_pending_begin = is_keyword(word, "begin");
        }
    } else if (is_keyword(word, "begin") && m_rule == BodyRule::psql) {
        ++m_depth;
    } else if (is_keyword(word, "case") && m_depth > 0) {
        ++m_depth; // CASE also ends with END; it only matters once inside a body
    } else if (is_keyword(word, "end") && m_depth > 0) {
        --m_depth;
    }
}

// Collects the pieces for split_statements().
class PieceCollector : public SqlObserver {
public:
    void statement(const Statement& statement) override { pieces.push_back(statement); }
    std::vector<Statement> pieces;
};

class Splitter {
public:
    Splitter(std::string_view sql, SqlObserver& observer, BodyRule rule)
        : m_sql(sql)
        , m_observer(observer)
        , m_body(rule)
    {
    }
    void run();

private:
    std::size_t skip_token(std::size_t pos);
    std::size_t skip_word(std::size_t pos);
    void finish_piece(std::size_t end);

    // Reports a token that is not a word (words go through skip_word).
    std::size_t other_token(std::size_t pos, std::size_t end, TokenKind kind = TokenKind::other);

    std::string_view m_sql;
    SqlObserver& m_observer;
    std::size_t m_start = 0; // where the current piece begins
    std::size_t m_significant = k_npos; // its first byte that is not whitespace or comment
    std::size_t m_paren_depth = 0;
    BodyTracker m_body;
    std::size_t m_line_pos = 0; // newlines are counted up to here, once each
    std::size_t m_line = 1;
};

void Splitter::run()
{
    const std::size_t n = m_sql.size();
    std::size_t pos = 0;
    while (pos < n) {
        const char c = m_sql[pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') { // scanner_isspace(): no \v
            ++pos;
        } else if (c == '-' && at(m_sql, pos + 1) == '-') {
            const std::size_t end = std::min(m_sql.find_first_of("\r\n", pos), n);
            m_observer.comment(pos, end - pos);
            pos = end;
        } else if (c == '/' && at(m_sql, pos + 1) == '*') {
            const std::size_t end = skip_block_comment(m_sql, pos);
            if (end == k_npos && m_significant == k_npos) {
                m_significant = pos; // see Statement::blank
            }
            m_observer.comment(pos, std::min(end, n) - pos);
            pos = std::min(end, n);
        } else if (c == ';' && m_paren_depth == 0 && !m_body.inside_body()) {
            finish_piece(++pos);
        } else {
            if (m_significant == k_npos) {
                m_significant = pos;
            }
            pos = skip_token(pos);
        }
    }
    if (m_start < n) {
        finish_piece(n);
    }
}

// Skips one token that is neither whitespace, a comment nor a splitting ';'.
std::size_t Splitter::skip_token(std::size_t pos)
{
    const char c = m_sql[pos];
    if (c == '(') {
        ++m_paren_depth;
    } else if (c == ')' && m_paren_depth > 0) {
        --m_paren_depth;
    } else if (c == '\'' || c == '"') {
        return other_token(pos, skip_quoted(m_sql, pos + 1, c)); // standard_conforming_strings: '\' is literal
    } else if (c == '$') {
        return other_token(pos, skip_dollar(m_sql, pos));
    } else if (is_digit(c)) {
        return other_token(pos, skip_number(m_sql, pos));
    } else if (is_ident_start(c)) {
        return skip_word(pos);
    } else if (c == '\\') {
        return other_token(pos, pos + 1, TokenKind::backslash);
    }
    return other_token(pos, pos + 1);
}

std::size_t Splitter::other_token(std::size_t pos, std::size_t end, TokenKind kind)
{
    m_body.on_other_token();
    m_observer.token(kind, pos, end - pos);
    return end;
}

std::size_t Splitter::skip_word(std::size_t pos)
{
    std::size_t end = pos + 1;
    while (is_tag_char(at(m_sql, end)) || at(m_sql, end) == '$') {
        ++end;
    }
    // A one-letter word glued to a quote is a literal prefix (longest match in scan.l).
    const char next = at(m_sql, end);
    const char prefix = end == pos + 1 ? static_cast<char>(m_sql[pos] | 0x20) : '\0'; // ASCII lower case
    if (next == '\'' && prefix == 'e') {
        return other_token(pos, skip_escape_string(m_sql, end + 1));
    }
    if (next == '\'' && (prefix == 'b' || prefix == 'x' || prefix == 'n')) {
        return other_token(pos, skip_quoted(m_sql, end + 1, '\''));
    }
    if (next == '&' && prefix == 'u' && (at(m_sql, end + 1) == '\'' || at(m_sql, end + 1) == '"')) {
        return other_token(pos, skip_quoted(m_sql, end + 2, m_sql[end + 1]));
    }
    m_body.on_word(m_sql.substr(pos, end - pos), m_paren_depth);
    m_observer.token(TokenKind::word, pos, end - pos);
    return end;
}

void Splitter::finish_piece(std::size_t end)
{
    Statement piece;
    piece.offset = m_start;
    piece.length = end - m_start;
    piece.blank = m_significant == k_npos;
    piece.text = m_sql.substr(piece.offset, piece.length);

    // Pieces ask for non-decreasing positions, so each newline is counted once.
    const std::size_t line_pos = piece.blank ? m_start : m_significant;
    const std::string_view skipped = m_sql.substr(m_line_pos, line_pos - m_line_pos);
    m_line += static_cast<std::size_t>(std::count(skipped.begin(), skipped.end(), '\n'));
    m_line_pos = line_pos;
    piece.line = m_line;
    m_observer.statement(piece);

    m_start = end;
    m_significant = k_npos;
    m_body.on_statement_end();
}

} // namespace

std::vector<Statement> split_statements(std::string_view sql, BodyRule rule)
{
    PieceCollector collector;
    Splitter(sql, collector, rule).run();
    return std::move(collector.pieces);
}

void scan_statements(std::string_view sql, SqlObserver& observer, BodyRule rule)
{
    Splitter(sql, observer, rule).run();
}

std::size_t skip_trivia(std::string_view text, std::size_t i)
{
    while (i < text.size()) {
        if (std::isspace(static_cast<unsigned char>(text[i]))) {
            ++i;
        } else if (text.substr(i, 2) == "--") {
            i = std::min(text.find('\n', i), text.size());
        } else if (text.substr(i, 2) == "/*") {
            const std::size_t end = skip_block_comment(text, i);
            i = end == k_npos ? text.size() : end;
        } else {
            break;
        }
    }
    return i;
}

} // namespace vidb::migrate
