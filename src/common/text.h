#pragma once

#include <cctype>
#include <string_view>

namespace vidb {

// `s` without leading and trailing ASCII whitespace (as std::isspace in the C locale).
inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace vidb
