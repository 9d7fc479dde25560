#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vidb::migrate {

// Where in a migration file the server's error position points.
struct ErrorLocation {
    std::size_t line = 0; // 1-based
    std::size_t column = 0; // 1-based, in characters
    std::string line_text; // that line, tabs kept
    std::string caret; // spaces (tabs kept) and '^' under the column
};

// `position` is the server's 1-based character position in the query string that was
// sent; the migration's text starts after `prefix_chars` characters of that string.
// Nothing when the position lies outside the migration's text.
std::optional<ErrorLocation> locate_error(std::string_view sql, int position, std::size_t prefix_chars);

// The server's message without vidb's own SQL. After an unterminated literal, dollar
// quote or comment the server quotes the rest of the query ("unterminated quoted string
// at or near "'abc\n;\nUPDATE vidb_schema_migrations ..."), which runs on into the
// `suffix` vidb sent after the migration's text: that part is cut.
std::string without_wrapper_sql(std::string_view message, std::string_view suffix);

// Characters (UTF-8 code points) in `text`, as the server counts positions.
std::size_t count_chars(std::string_view text);

} // namespace vidb::migrate
