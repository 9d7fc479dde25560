#include "db/libpq_message.h"

#include "common/text.h"

#include <cctype>

namespace vidb::db {

namespace {

bool sqlstate_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

// Finds "<severity>:  XXXXX: " and removes "XXXXX: ", returning the code. The severity
// word is translated by the server, the two spaces and the code's shape are not.
std::string take_sqlstate(std::string& line)
{
    for (std::size_t at = line.find(":  "); at != std::string::npos; at = line.find(":  ", at + 1)) {
        const std::size_t code = at + 3;
        if (code + 7 > line.size() || line[code + 5] != ':' || line[code + 6] != ' ') {
            continue;
        }
        bool shaped = true;
        for (std::size_t i = code; i < code + 5; ++i) {
            shaped = shaped && sqlstate_char(line[i]);
        }
        if (shaped) {
            std::string sqlstate = line.substr(code, 5);
            line.erase(code, 7);
            return sqlstate;
        }
    }
    return "";
}

bool ends_sentence(std::string_view line)
{
    return !line.empty() && (line.back() == '.' || line.back() == '?' || line.back() == '!' || line.back() == ':');
}

} // namespace

LibpqMessage parse_libpq_message(std::string_view text)
{
    LibpqMessage message;
    bool previous_wrapped = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view raw = text.substr(pos, end - pos);
        pos = end + 1;
        const bool indented = !raw.empty() && (raw.front() == '\t' || raw.front() == ' ');
        std::string line(trim(raw));
        if (line.empty() || line.starts_with("LOCATION:  ")) {
            continue;
        }
        if (message.sqlstate.empty()) {
            message.sqlstate = take_sqlstate(line);
        }
        if (message.headline.empty()) {
            message.headline = line;
            previous_wrapped = false;
            continue;
        }
        // libpq wraps one sentence over tab-indented lines ("This probably means the server
        // terminated abnormally\n\tbefore or while processing the request.").
        if (indented && previous_wrapped && !message.details.empty() && !ends_sentence(message.details.back())) {
            message.details.back() += " " + line;
        } else {
            message.details.push_back(line);
        }
        previous_wrapped = indented;
    }
    return message;
}

} // namespace vidb::db
