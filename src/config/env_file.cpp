#include "config/env_file.h"

#include <cctype>

namespace vidb::config {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

bool valid_key(std::string_view key)
{
    if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) {
        return false;
    }
    for (const char c : key) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
            return false;
        }
    }
    return true;
}

} // namespace

EnvFileParse parse_env_file(std::string_view text)
{
    EnvFileParse result;
    std::size_t line_number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = trim(text.substr(pos, end - pos));
        ++line_number;
        const std::size_t next = end + 1;
        if (line.empty() || line.front() == '#') {
            pos = next;
            continue;
        }
        if (line.starts_with("export ")) {
            line = trim(line.substr(7));
        }
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) {
            result.error = "line " + std::to_string(line_number) + ": expected KEY=VALUE";
            return result;
        }
        const std::string_view key = trim(line.substr(0, eq));
        if (!valid_key(key)) {
            result.error = "line " + std::to_string(line_number) + ": invalid variable name";
            return result;
        }
        std::string_view raw = trim(line.substr(eq + 1));
        std::string value;
        if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
            const char quote = raw.front();
            std::size_t i = 1;
            bool closed = false;
            for (; i < raw.size(); ++i) {
                const char c = raw[i];
                if (c == quote) {
                    closed = true;
                    break;
                }
                if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
                    const char escaped = raw[++i];
                    value.push_back(escaped == 'n' ? '\n' : escaped);
                    continue;
                }
                value.push_back(c);
            }
            const std::string_view rest = trim(raw.substr(closed ? i + 1 : raw.size()));
            if (!closed || (!rest.empty() && rest.front() != '#')) {
                result.error = "line " + std::to_string(line_number) + ": unterminated or malformed quoted value";
                return result;
            }
        } else {
            // An unquoted value ends at " #" (an inline comment).
            const std::size_t comment = raw.find(" #");
            value = std::string(trim(raw.substr(0, comment)));
        }
        result.values[std::string(key)] = value;
        pos = next;
    }
    return result;
}

} // namespace vidb::config
