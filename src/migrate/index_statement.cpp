#include "migrate/index_statement.h"

#include "migrate/sql_lexer.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace vidb::migrate {

namespace {

// A word of a statement: an identifier or keyword (folded to lower case unless quoted),
// or one punctuation character. `raw` is the text as written.
struct Token {
    std::string text;
    std::string raw;
    bool quoted = false;
};

// Just enough of PostgreSQL's lexer for the head of a CREATE INDEX statement: comments,
// whitespace, quoted and plain identifiers, punctuation. Stops at the first '('.
std::vector<Token> head_tokens(std::string_view sql)
{
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < sql.size() && tokens.size() < 16) {
        const char c = sql[i];
        if (const std::size_t next = skip_trivia(sql, i); next != i) {
            i = next;
        } else if (c == '"') {
            Token token { "", "", true };
            std::size_t j = i + 1;
            for (; j < sql.size(); ++j) {
                if (sql[j] == '"') {
                    if (j + 1 < sql.size() && sql[j + 1] == '"') {
                        token.text += '"';
                        ++j;
                        continue;
                    }
                    break;
                }
                token.text += sql[j];
            }
            token.raw = std::string(sql.substr(i, j + 1 - i));
            tokens.push_back(std::move(token));
            i = j + 1;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80) {
            std::size_t j = i;
            while (j < sql.size()
                && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_' || sql[j] == '$'
                    || static_cast<unsigned char>(sql[j]) >= 0x80)) {
                ++j;
            }
            Token token { std::string(sql.substr(i, j - i)), std::string(sql.substr(i, j - i)), false };
            std::transform(token.text.begin(), token.text.end(), token.text.begin(),
                [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            tokens.push_back(std::move(token));
            i = j;
        } else if (c == '(') {
            break;
        } else {
            tokens.push_back(Token { std::string(1, c), std::string(1, c), false });
            ++i;
        }
    }
    return tokens;
}

} // namespace

bool may_leave_invalid_index(std::string_view statement)
{
    std::string lower(statement);
    std::transform(lower.begin(), lower.end(), lower.begin(),
        [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return lower.find("index") != std::string::npos;
}

std::optional<CreatedIndex> created_index(std::string_view statement)
{
    const auto tokens = head_tokens(statement);
    std::size_t i = 0;
    const auto keyword = [&](const char* word) {
        if (i < tokens.size() && !tokens[i].quoted && tokens[i].text == word) {
            ++i;
            return true;
        }
        return false;
    };
    if (!keyword("create")) {
        return std::nullopt;
    }
    keyword("unique");
    if (!keyword("index")) {
        return std::nullopt;
    }
    keyword("concurrently");
    if (keyword("if") && !(keyword("not") && keyword("exists"))) {
        return std::nullopt;
    }
    if (i >= tokens.size() || (!tokens[i].quoted && tokens[i].text == "on")) {
        return std::nullopt; // no name: the server makes one up
    }
    CreatedIndex created;
    created.name = tokens[i++].text;
    if (!keyword("on")) {
        return std::nullopt;
    }
    keyword("only");
    for (; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        if (!token.quoted && token.text != "." && !created.table.empty() && created.table.back() != '.') {
            break; // USING, or the end of the name
        }
        created.table += token.raw;
    }
    if (created.table.empty() || created.table.back() == '.') {
        return std::nullopt;
    }
    return created;
}

} // namespace vidb::migrate
