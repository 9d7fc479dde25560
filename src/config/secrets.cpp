#include "config/secrets.h"

#include <algorithm>
#include <cctype>

namespace vidb::config {

namespace {

constexpr std::string_view k_mask = "***";

// "user:password@" after "://", even in a URL libpq would refuse, so that a malformed
// URL echoed in an error cannot show its password.
std::string mask_userinfo(std::string text)
{
    std::size_t from = 0;
    while ((from = text.find("://", from)) != std::string::npos) {
        const std::size_t start = from + 3;
        // The user info ends at the URL's last '@' (a password may hold an unencoded '@',
        // '/', '?' or '#'); when there is none before the first space, a password with a
        // space in it is the likelier reading than no user info at all.
        const std::size_t word_end = std::min(text.find_first_of(" \t\r\n\"'<>", start), text.size());
        std::size_t at = text.rfind('@', word_end);
        if (at == std::string::npos || at < start) {
            const std::size_t line_end = std::min(text.find_first_of("\r\n\"'<>", start), text.size());
            at = text.find('@', word_end);
            at = at < line_end ? at : std::string::npos;
        }
        if (at != std::string::npos) {
            const std::size_t colon = text.find(':', start);
            if (colon < at) {
                text.replace(colon + 1, at - colon - 1, k_mask);
                from = colon + 1 + k_mask.size();
                continue;
            }
        }
        from = start;
    }
    return text;
}

bool ieq(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

// `...password=value`: masks the value (quoted with ' or ", backslash escapes honoured,
// or up to a space, '&' or quote).
std::string mask_password_keys(std::string text)
{
    constexpr std::string_view key = "password";
    for (std::size_t i = 0; i + key.size() <= text.size(); ++i) {
        if (!ieq(std::string_view(text).substr(i, key.size()), key)) {
            continue;
        }
        // Only `password=` written tight, as connection strings and assignments are: SQL
        // shown by `vidb show` ("SET password = ...") keeps its text.
        std::size_t pos = i + key.size();
        if (pos >= text.size() || text[pos] != '=') {
            continue;
        }
        ++pos;
        std::size_t begin = pos;
        std::size_t end = pos;
        if (pos < text.size() && (text[pos] == '\'' || text[pos] == '"')) {
            const char quote = text[pos];
            begin = end = pos + 1;
            while (end < text.size() && text[end] != quote) {
                end += text[end] == '\\' && end + 1 < text.size() ? 2 : 1;
            }
            end = std::min(end, text.size());
        } else {
            end = std::min(text.find_first_of(" \t\r\n&'\"", pos), text.size());
        }
        if (end > begin) {
            text.replace(begin, end - begin, k_mask);
        }
        i = begin + k_mask.size() - 1;
    }
    return text;
}

} // namespace

std::string redact(std::string_view text)
{
    return mask_password_keys(mask_userinfo(std::string(text)));
}

std::string mask_quoted_secret(std::string_view text, std::string_view password, const std::vector<std::string>& names)
{
    std::string out(text);
    if (password.empty()) {
        return out;
    }
    std::size_t open = 0;
    while ((open = out.find('"', open)) != std::string::npos) {
        const std::size_t close = out.find('"', open + 1);
        if (close == std::string::npos) {
            break;
        }
        const std::string_view value = std::string_view(out).substr(open + 1, close - open - 1);
        const bool a_name = std::find(names.begin(), names.end(), value) != names.end();
        if (!a_name && value.find(password) != std::string_view::npos) {
            out.replace(open + 1, close - open - 1, k_mask);
            open += k_mask.size() + 2;
        } else {
            open = close + 1;
        }
    }
    return out;
}

} // namespace vidb::config
