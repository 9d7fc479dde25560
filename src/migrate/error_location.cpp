#include "migrate/error_location.h"

namespace vidb::migrate {

namespace {

bool is_continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

} // namespace

std::size_t count_chars(std::string_view text)
{
    std::size_t count = 0;
    for (const char c : text) {
        count += is_continuation(c) ? 0 : 1;
    }
    return count;
}

std::string without_wrapper_sql(std::string_view message, std::string_view suffix)
{
    std::string out(message);
    if (suffix.empty()) {
        return out;
    }
    if (const std::size_t at = out.find(suffix); at != std::string::npos) {
        out.erase(at, suffix.size());
    }
    return out;
}

std::optional<ErrorLocation> locate_error(std::string_view sql, int position, std::size_t prefix_chars)
{
    if (position <= 0 || static_cast<std::size_t>(position) <= prefix_chars) {
        return std::nullopt;
    }
    std::size_t target = static_cast<std::size_t>(position) - 1 - prefix_chars; // 0-based char index in sql
    std::size_t offset = 0;
    for (std::size_t chars = 0; offset < sql.size(); ++offset) {
        if (is_continuation(sql[offset])) {
            continue;
        }
        if (chars == target) {
            break;
        }
        ++chars;
    }
    if (offset >= sql.size()) {
        // Past the end: the server points after the last character (e.g. "syntax error at end of input").
        if (target > count_chars(sql) || sql.empty()) {
            return std::nullopt;
        }
        offset = sql.size();
    }
    std::size_t line_start = offset;
    while (line_start > 0 && sql[line_start - 1] != '\n') {
        --line_start;
    }
    std::size_t line_end = sql.find('\n', line_start);
    if (line_end == std::string_view::npos) {
        line_end = sql.size();
    }
    ErrorLocation location;
    location.line = 1;
    for (std::size_t i = 0; i < line_start; ++i) {
        location.line += sql[i] == '\n' ? 1 : 0;
    }
    location.line_text = std::string(sql.substr(line_start, line_end - line_start));
    if (!location.line_text.empty() && location.line_text.back() == '\r') {
        location.line_text.pop_back();
    }
    const std::string_view before = sql.substr(line_start, offset - line_start);
    location.column = count_chars(before) + 1;
    for (const char c : before) {
        if (!is_continuation(c)) {
            location.caret.push_back(c == '\t' ? '\t' : ' ');
        }
    }
    location.caret.push_back('^');
    return location;
}

} // namespace vidb::migrate
