#include "migrate/session_statement.h"

#include "migrate/sql_lexer.h"

#include <cctype>
#include <string>

namespace vidb::migrate {

namespace {

// The next plain word at or after `i` (after comments and whitespace), lower-cased;
// empty when the next token is not a word. Moves `i` past it.
std::string next_word(std::string_view sql, std::size_t& i)
{
    i = skip_trivia(sql, i);
    std::string word;
    while (i < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) {
        word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i]))));
        ++i;
    }
    return word;
}

} // namespace

bool is_session_setting(std::string_view statement)
{
    std::size_t i = 0;
    const std::string first = next_word(statement, i);
    if (first == "reset") {
        return true;
    }
    if (first != "set") {
        return false;
    }
    const std::string second = next_word(statement, i);
    return second != "local" && second != "transaction" && second != "constraints";
}

} // namespace vidb::migrate
