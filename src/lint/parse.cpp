#include "lint/parse.h"

#include "migrate/sql_lexer.h"

#include <pg_query.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

// libpg_query's pg_query_parse() lives in one object file with pg_query_parse_protobuf(),
// which vidb never calls; its protobuf writer is renamed to this (cmake/pg_query.cmake) so
// that the static binary does not carry ~0.6 MB of protobuf code for nothing.
extern "C" PgQueryProtobuf vidb_pgq_pg_query_nodes_to_protobuf(const void* /*nodes*/)
{
    std::abort();
}

namespace vidb::lint {

namespace {

struct ParseResult {
    PgQueryParseResult result;
    explicit ParseResult(const std::string& sql)
        : result(pg_query_parse(sql.c_str()))
    {
    }
    ~ParseResult() { pg_query_free_parse_result(result); }
    ParseResult(const ParseResult&) = delete;
    ParseResult& operator=(const ParseResult&) = delete;
};

struct SplitResult {
    PgQuerySplitResult result;
    explicit SplitResult(const std::string& sql)
        : result(pg_query_split_with_scanner(sql.c_str()))
    {
    }
    ~SplitResult() { pg_query_free_split_result(result); }
    SplitResult(const SplitResult&) = delete;
    SplitResult& operator=(const SplitResult&) = delete;
};

std::size_t number(const nlohmann::json& node, const char* key)
{
    const auto it = node.find(key);
    return it != node.end() && it->is_number_integer() && it->get<long long>() > 0
        ? static_cast<std::size_t>(it->get<long long>())
        : 0;
}

// Statements of a tree that parsed, their offsets shifted by `base`.
void collect(const nlohmann::json& tree, std::string_view sql, std::size_t base, std::size_t limit,
    std::vector<ParsedStatement>& out)
{
    const auto stmts = tree.find("stmts");
    if (stmts == tree.end() || !stmts->is_array()) {
        return;
    }
    for (const auto& raw : *stmts) {
        const std::size_t location = base + number(raw, "stmt_location");
        const std::size_t length = number(raw, "stmt_len");
        ParsedStatement statement;
        statement.end = length == 0 ? limit : std::min(limit, location + length);
        statement.offset = std::min(migrate::skip_trivia(sql, location), statement.end);
        statement.base = base;
        if (const auto stmt = raw.find("stmt"); stmt != raw.end()) {
            statement.tree = *stmt;
        }
        out.push_back(std::move(statement));
    }
}

// Length of the valid UTF-8 sequence at `i`, 0 when the byte there starts none.
std::size_t utf8_length(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    const std::size_t length = lead < 0x80 ? 1
        : lead >= 0xC2 && lead <= 0xDF     ? 2
        : lead >= 0xE0 && lead <= 0xEF     ? 3
        : lead >= 0xF0 && lead <= 0xF4     ? 4
                                           : 0;
    if (length == 0 || i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
    }
    // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF.
    const unsigned char second = byte(i + 1 < text.size() ? i + 1 : i);
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90)
        || (lead == 0xF4 && second > 0x8F)) {
        return 0;
    }
    return length;
}

// The parser copies identifiers and literals into its JSON as they are, and a JSON
// reader rightly refuses broken UTF-8: such bytes become '?', one for one, so every
// offset stays that of the file. (The embedder refuses these files anyway.)
std::string parser_input(std::string_view sql)
{
    std::string text(sql.substr(0, sql.find('\0')));
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_length(text, i);
        if (length == 0) {
            text[i++] = '?';
        } else {
            i += length;
        }
    }
    return text;
}

// libpg_query's JSON; null (and the statement reported as not checked) if it is not JSON.
nlohmann::json read_tree(const char* json)
{
    return nlohmann::json::parse(json, nullptr, false);
}

ParsedStatement unparsed(std::string_view sql, std::size_t location, std::size_t end, std::string error)
{
    ParsedStatement statement;
    statement.end = end;
    statement.offset = std::min(migrate::skip_trivia(sql, location), end);
    statement.error = std::move(error);
    return statement;
}

} // namespace

std::vector<ParsedStatement> parse_statements(std::string_view sql)
{
    std::vector<ParsedStatement> out;
    std::string whole_error;
    std::size_t whole_error_at = 0;
    // The parser stops at a NUL; the embedder rejects files holding one, a path given
    // to `vidb lint` may not: check only what comes before it.
    const std::string text = parser_input(sql);
    {
        const ParseResult parsed(text);
        if (parsed.result.error == nullptr) {
            if (const auto tree = read_tree(parsed.result.parse_tree); !tree.is_discarded()) {
                collect(tree, sql, 0, text.size(), out);
                return out;
            }
            whole_error = "unreadable parse tree";
        } else {
            whole_error = parsed.result.error->message;
            whole_error_at = static_cast<std::size_t>(std::max(1, parsed.result.error->cursorpos)) - 1;
        }
    }
    // Something did not parse: find the statements with the scanner alone and parse each
    // on its own, so one statement in newer syntax hides nothing else.
    const SplitResult split(text);
    if (split.result.error != nullptr) {
        // An unterminated quote or comment: nothing can be told apart.
        out.push_back(unparsed(sql, 0, text.size(), split.result.error->message));
        return out;
    }
    for (int i = 0; i < split.result.n_stmts; ++i) {
        const auto* piece = split.result.stmts[i];
        const auto location = static_cast<std::size_t>(std::max(0, piece->stmt_location));
        const std::size_t end
            = std::min(text.size(), location + static_cast<std::size_t>(std::max(0, piece->stmt_len)));
        const std::string one = text.substr(location, end - location);
        const ParseResult parsed(one);
        const auto tree = parsed.result.error == nullptr ? read_tree(parsed.result.parse_tree) : nlohmann::json();
        if (parsed.result.error != nullptr || tree.is_discarded()) {
            out.push_back(unparsed(
                sql, location, end, parsed.result.error ? parsed.result.error->message : "unreadable parse tree"));
        } else {
            collect(tree, sql, location, end, out);
        }
    }
    // The scanner's pieces all parsed on their own, yet the file did not: never pass it
    // silently.
    if (std::none_of(out.begin(), out.end(), [](const ParsedStatement& s) { return s.tree.is_null(); })) {
        const std::size_t at = std::min(whole_error_at, text.size());
        out.push_back(unparsed(sql, at, std::max(at, text.size()), whole_error));
        std::stable_sort(out.begin(), out.end(),
            [](const ParsedStatement& a, const ParsedStatement& b) { return a.offset < b.offset; });
    }
    return out;
}

} // namespace vidb::lint
