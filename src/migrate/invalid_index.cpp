#include "migrate/invalid_index.h"

#include <algorithm>
#include <cctype>

namespace vidb::migrate {

namespace {

// Indexes being built right now (by anyone) are invalid until they finish: not counted.
constexpr const char* k_invalid_indexes = "SELECT i.indexrelid::pg_catalog.text, pg_catalog.format('%I.%I', n.nspname, "
                                          "c.relname) FROM pg_catalog.pg_index i "
                                          "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
                                          "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                          "WHERE NOT i.indisvalid AND NOT EXISTS (SELECT 1 FROM "
                                          "pg_catalog.pg_stat_progress_create_index p WHERE p.index_relid = "
                                          "i.indexrelid)";

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
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            i = std::min(sql.find('\n', i), sql.size());
        } else if (sql.substr(i, 2) == "/*") {
            int depth = 0;
            do {
                if (sql.substr(i, 2) == "/*") {
                    ++depth;
                    i += 2;
                } else if (sql.substr(i, 2) == "*/") {
                    --depth;
                    i += 2;
                } else {
                    ++i;
                }
            } while (depth > 0 && i < sql.size());
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

std::set<std::string> invalid_index_oids(db::Connection& connection)
{
    std::set<std::string> oids;
    const auto rows = connection.exec(k_invalid_indexes);
    for (int row = 0; row < rows.rows(); ++row) {
        oids.emplace(rows.get(row, 0));
    }
    return oids;
}

std::vector<std::string> new_invalid_indexes(db::Connection& connection, const std::set<std::string>& before)
{
    std::vector<std::string> names;
    const auto rows = connection.exec(std::string(k_invalid_indexes) + " ORDER BY 2");
    for (int row = 0; row < rows.rows(); ++row) {
        if (before.count(std::string(rows.get(row, 0))) == 0) {
            names.emplace_back(rows.get(row, 1));
        }
    }
    return names;
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

std::vector<std::string> still_invalid(
    db::Connection& connection, const std::vector<std::string>& names, const std::optional<CreatedIndex>& created)
{
    std::vector<std::string> found;
    const std::string base = std::string(k_invalid_indexes) + " AND ";
    for (const auto& name : names) {
        const auto rows = connection.exec_params(base + "i.indexrelid = pg_catalog.to_regclass($1)", { name });
        for (int row = 0; row < rows.rows(); ++row) {
            found.emplace_back(rows.get(row, 1));
        }
    }
    if (created) {
        // An index lives in its table's schema, whatever search_path says.
        const auto rows = connection.exec_params(base
                + "c.relname = $1 AND c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class "
                  "WHERE oid = pg_catalog.to_regclass($2))",
            { created->name, created->table });
        for (int row = 0; row < rows.rows(); ++row) {
            const std::string name(rows.get(row, 1));
            if (std::find(found.begin(), found.end(), name) == found.end()) {
                found.push_back(name);
            }
        }
    }
    return found;
}

std::string drop_statement(const std::string& qualified_name)
{
    return "DROP INDEX CONCURRENTLY " + qualified_name + ";";
}

} // namespace vidb::migrate
