#include "migrate/file_name.h"

#include <charconv>
#include <limits>

namespace vidb::migrate {

bool is_valid_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
        || c == '.';
}

FileNameParse parse_file_name(std::string_view file_name)
{
    constexpr std::string_view k_up = ".up.sql";
    constexpr std::string_view k_down = ".down.sql";
    FileName parsed;
    std::string_view stem;
    if (file_name.ends_with(k_up)) {
        stem = file_name.substr(0, file_name.size() - k_up.size());
        parsed.direction = Direction::up;
    } else if (file_name.ends_with(k_down)) {
        stem = file_name.substr(0, file_name.size() - k_down.size());
        parsed.direction = Direction::down;
    } else {
        return { std::nullopt, "expected <version>_<name>.up.sql or <version>_<name>.down.sql" };
    }
    const auto underscore = stem.find('_');
    const std::string_view digits = stem.substr(0, underscore);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return { std::nullopt, "the version before the first '_' must be digits, e.g. 0001_create_users.up.sql" };
    }
    // Versions live in a bigint column.
    std::uint64_t version = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (ec != std::errc {} || end != digits.data() + digits.size()
        || version > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return { std::nullopt, "the version does not fit in a bigint" };
    }
    if (underscore == std::string_view::npos || underscore + 1 == stem.size()) {
        return { std::nullopt, "missing name after the version, e.g. 0001_create_users.up.sql" };
    }
    const std::string_view name = stem.substr(underscore + 1);
    for (const char c : name) {
        if (!is_valid_name_char(c)) {
            return { std::nullopt, "the name may only contain letters, digits, '_', '-' and '.'" };
        }
    }
    parsed.version = version;
    parsed.version_text = std::string(digits);
    parsed.name = std::string(name);
    return { parsed, {} };
}

} // namespace vidb::migrate
