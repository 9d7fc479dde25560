#include "migrate/migration_version.h"

#include "migrate/checksum.h"

#include <charconv>
#include <limits>

namespace vidb::migrate {

namespace {

constexpr std::uint64_t k_key_mask = (std::uint64_t { 1 } << 62) - 1;

std::int64_t text_key(const std::string& canonical)
{
    const auto digest = sha256_bytes(canonical);
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) {
        value = (value << 8) | digest[static_cast<std::size_t>(i)];
    }
    return -1 - static_cast<std::int64_t>(value & k_key_mask);
}

// Compares two parts without leading zeros as unbounded integers.
std::strong_ordering compare_part(const std::string& a, const std::string& b)
{
    if (a.size() != b.size()) {
        return a.size() <=> b.size();
    }
    const int c = a.compare(b);
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
}

} // namespace

std::optional<MigrationVersion> MigrationVersion::parse(std::string_view text)
{
    if (text.empty()) {
        return std::nullopt;
    }
    MigrationVersion version;
    version.m_parts.clear();
    version.m_text.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find_first_of("._", start);
        const std::string_view part = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
        if (part.empty() || part.find_first_not_of("0123456789") != std::string_view::npos) {
            return std::nullopt;
        }
        const std::size_t digit = part.find_first_not_of('0');
        version.m_parts.emplace_back(digit == std::string_view::npos ? std::string_view("0") : part.substr(digit));
        version.m_text += part;
        if (end == std::string_view::npos) {
            break;
        }
        version.m_text += '.';
        start = end + 1;
    }
    while (version.m_parts.size() > 1 && version.m_parts.back() == "0") {
        version.m_parts.pop_back();
    }
    std::uint64_t value = 0;
    const std::string& first = version.m_parts.front();
    const auto [end, ec] = std::from_chars(first.data(), first.data() + first.size(), value);
    if (version.m_parts.size() == 1 && ec == std::errc {} && end == first.data() + first.size()
        && value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        version.m_key = static_cast<std::int64_t>(value);
    } else {
        version.m_key = text_key(version.canonical());
    }
    return version;
}

MigrationVersion::MigrationVersion(std::uint64_t value)
    : m_parts { std::to_string(value) }
    , m_text(std::to_string(value))
    , m_key(static_cast<std::int64_t>(value))
{
}

std::optional<MigrationVersion> MigrationVersion::from_row(std::int64_t key, const std::optional<std::string>& text)
{
    if (!text) {
        if (key < 0) {
            return std::nullopt;
        }
        return of_integer(static_cast<std::uint64_t>(key));
    }
    auto version = parse(*text);
    if (!version || version->m_key != key) {
        return std::nullopt;
    }
    return version;
}

std::optional<std::string> MigrationVersion::stored_text() const
{
    if (is_integer()) {
        return std::nullopt;
    }
    return m_text;
}

std::string MigrationVersion::canonical() const
{
    std::string out;
    for (const std::string& part : m_parts) {
        out += (out.empty() ? "" : ".") + part;
    }
    return out;
}

std::strong_ordering operator<=>(const MigrationVersion& a, const MigrationVersion& b)
{
    const std::size_t common = std::min(a.m_parts.size(), b.m_parts.size());
    for (std::size_t i = 0; i < common; ++i) {
        if (const auto order = compare_part(a.m_parts[i], b.m_parts[i]); order != 0) {
            return order;
        }
    }
    // Trailing zero parts are gone, so the longer one has a non-zero part more.
    return a.m_parts.size() <=> b.m_parts.size();
}

} // namespace vidb::migrate
