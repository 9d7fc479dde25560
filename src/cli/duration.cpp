#include "cli/duration.h"

#include <charconv>

namespace vidb::cli {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text)
{
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc {} || end == text.data() || value < 0 || value > 10'000'000) {
        return std::nullopt;
    }
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (unit.empty() || unit == "s") {
        return std::chrono::seconds(value);
    }
    if (unit == "ms") {
        return std::chrono::milliseconds(value);
    }
    if (unit == "m" || unit == "min") {
        return std::chrono::minutes(value);
    }
    if (unit == "h") {
        return std::chrono::hours(value);
    }
    return std::nullopt;
}

} // namespace vidb::cli
