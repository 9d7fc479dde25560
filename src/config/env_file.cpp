#include "config/env_file.h"

#include "common/text.h"

#include <cctype>

namespace vidb::config {

namespace {

bool name_start(char c)
{
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

bool name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool valid_key(std::string_view key)
{
    if (key.empty() || !name_start(key.front())) {
        return false;
    }
    for (const char c : key) {
        if (!name_char(c)) {
            return false;
        }
    }
    return true;
}

// Expands $-references in one value; the error is set (and "" returned) when one is malformed.
class Expander {
public:
    Expander(const std::map<std::string, std::string>& earlier, const EnvLookup& lookup)
        : m_earlier(earlier)
        , m_lookup(lookup)
    {
    }

    // text[i] is '$': appends what the reference stands for to `out`, moves i past it.
    bool expand(std::string_view text, std::size_t& i, std::string& out, std::string& error, int depth = 0)
    {
        if (i + 1 >= text.size()) {
            out.push_back('$');
            ++i;
            return true;
        }
        const char next = text[i + 1];
        if (next == '$') {
            out.push_back('$');
            i += 2;
            return true;
        }
        if (name_start(next)) {
            std::size_t end = i + 1;
            while (end < text.size() && name_char(text[end])) {
                ++end;
            }
            out += value_of(std::string(text.substr(i + 1, end - i - 1))).value_or("");
            i = end;
            return true;
        }
        if (next != '{') {
            out.push_back('$');
            ++i;
            return true;
        }
        // ${...}: find the matching brace (defaults may hold references of their own).
        std::size_t close = i + 2;
        for (int open = 1; close < text.size(); ++close) {
            open += text[close] == '{' ? 1 : text[close] == '}' ? -1 : 0;
            if (open == 0) {
                break;
            }
        }
        if (close >= text.size()) {
            error = "unterminated ${ reference";
            return false;
        }
        const std::string_view inner = text.substr(i + 2, close - i - 2);
        i = close + 1;
        std::size_t name_end = 0;
        while (name_end < inner.size() && name_char(inner[name_end])) {
            ++name_end;
        }
        const std::string name(inner.substr(0, name_end));
        if (name.empty() || !name_start(name.front())) {
            error = "invalid ${...} reference";
            return false;
        }
        const auto value = value_of(name);
        std::string_view op = inner.substr(name_end);
        if (op.empty()) {
            out += value.value_or("");
            return true;
        }
        const bool colon = op.front() == ':';
        if (colon) {
            op.remove_prefix(1);
        }
        if (op.empty() || (op.front() != '-' && op.front() != '+' && op.front() != '?') || depth > 16) {
            error = "invalid ${...} reference";
            return false;
        }
        const char kind = op.front();
        const std::string_view word = op.substr(1);
        const bool set = value.has_value() && (!colon || !value->empty());
        if (kind == '?' && !set) {
            error = name + " is required" + (word.empty() ? "" : " (the file's ${" + name + ":?...} says why)");
            return false;
        }
        if ((kind == '-' && set) || kind == '?' || (kind == '+' && !set)) {
            out += kind == '+' ? "" : *value;
            return true;
        }
        return expand_all(word, out, error, depth + 1);
    }

    bool expand_all(std::string_view text, std::string& out, std::string& error, int depth)
    {
        for (std::size_t i = 0; i < text.size();) {
            if (text[i] == '$') {
                if (!expand(text, i, out, error, depth)) {
                    return false;
                }
            } else {
                out.push_back(text[i++]);
            }
        }
        return true;
    }

private:
    std::optional<std::string> value_of(const std::string& name) const
    {
        if (m_lookup) {
            if (auto value = m_lookup(name)) {
                return value;
            }
        }
        if (const auto it = m_earlier.find(name); it != m_earlier.end()) {
            return it->second;
        }
        return std::nullopt;
    }

    const std::map<std::string, std::string>& m_earlier;
    const EnvLookup& m_lookup;
};

} // namespace

EnvFileParse parse_env_file(std::string_view text, const EnvLookup& lookup)
{
    EnvFileParse result;
    // Windows editors save UTF-8 with a byte order mark; it is not part of the first name.
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    Expander expander(result.values, lookup);
    std::size_t line_number = 0;
    std::size_t pos = 0;
    const auto fail = [&](const std::string& what) {
        result.error = "line " + std::to_string(line_number) + ": " + what;
        return result;
    };
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
            return fail("expected KEY=VALUE");
        }
        const std::string_view key = trim(line.substr(0, eq));
        if (!valid_key(key)) {
            return fail("invalid variable name");
        }
        std::string_view raw = trim(line.substr(eq + 1));
        std::string value;
        std::string error;
        if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
            const char quote = raw.front();
            std::size_t i = 1;
            bool closed = false;
            while (i < raw.size()) {
                const char c = raw[i];
                if (c == quote) {
                    closed = true;
                    break;
                }
                if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
                    const char escaped = raw[i + 1];
                    value.push_back(escaped == 'n' ? '\n' : escaped);
                    i += 2;
                    continue;
                }
                if (quote == '"' && c == '$') {
                    if (!expander.expand(raw.substr(0, raw.size()), i, value, error)) {
                        return fail(error);
                    }
                    continue;
                }
                value.push_back(c);
                ++i;
            }
            const std::string_view rest = trim(raw.substr(closed ? i + 1 : raw.size()));
            if (!closed || (!rest.empty() && rest.front() != '#')) {
                return fail("unterminated or malformed quoted value");
            }
        } else {
            // An unquoted value ends at " #" (an inline comment).
            const std::size_t comment = raw.find(" #");
            if (!expander.expand_all(trim(raw.substr(0, comment)), value, error, 0)) {
                return fail(error);
            }
        }
        result.values[std::string(key)] = value;
        pos = next;
    }
    return result;
}

} // namespace vidb::config
