#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace vidb::cli {

// "90", "90s", "500ms", "2m", "1h" (a bare number is seconds). Nothing when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

} // namespace vidb::cli
