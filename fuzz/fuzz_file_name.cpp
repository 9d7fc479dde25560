// libFuzzer target for what the embedder checks about a migration file: its name
// (parse_file_name) and its bytes (text_problem, normalize_line_endings, the directive).
// A parsed name must rebuild the input exactly; text_problem must agree with an
// independent UTF-8 check.
#include "migrate/file_name.h"
#include "migrate/source_text.h"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

// Unicode's table of well-formed UTF-8 byte sequences (The Unicode Standard, table 3-7).
bool valid_utf8(std::string_view text)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char b = p[i];
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (b <= 0x7F) {
            ++i;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            length = 2;
        } else if (b == 0xE0) {
            length = 3, low = 0xA0;
        } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
            length = 3;
        } else if (b == 0xED) {
            length = 3, high = 0x9F;
        } else if (b == 0xF0) {
            length = 4, low = 0x90;
        } else if (b >= 0xF1 && b <= 0xF3) {
            length = 4;
        } else if (b == 0xF4) {
            length = 4, high = 0x8F;
        } else {
            return false;
        }
        if (i + length > n || p[i + 1] < low || p[i + 1] > high) {
            return false;
        }
        for (std::size_t k = 2; k < length; ++k) {
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

std::string without_cr(std::string_view text)
{
    std::string out(text);
    out.erase(std::remove(out.begin(), out.end(), '\r'), out.end());
    return out;
}

std::size_t count_crlf(std::string_view text)
{
    std::size_t count = 0;
    for (std::size_t at = text.find("\r\n"); at != std::string_view::npos; at = text.find("\r\n", at + 2)) {
        ++count;
    }
    return count;
}

void check_file_name(std::string_view name)
{
    using vidb::migrate::Direction;
    const auto parsed = vidb::migrate::parse_file_name(name);
    if (!parsed.value) {
        check(!parsed.error.empty());
        return;
    }
    const auto& file = *parsed.value;
    check(parsed.error.empty());
    check(!file.version_text.empty() && file.version_text.find_first_not_of("0123456789") == std::string::npos);
    std::uint64_t version = 0;
    const auto* end = file.version_text.data() + file.version_text.size();
    check(std::from_chars(file.version_text.data(), end, version).ptr == end && version == file.version);
    check(file.version <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    check(!file.name.empty());
    for (const char c : file.name) {
        check(vidb::migrate::is_valid_name_char(c));
    }
    const std::string rebuilt
        = file.version_text + "_" + file.name + (file.direction == Direction::up ? ".up.sql" : ".down.sql");
    check(rebuilt == name);
}

void check_text(std::string_view text)
{
    const std::string normalized = vidb::migrate::normalize_line_endings(text);
    // Only a CR directly before an LF goes; nothing else changes.
    check(normalized.size() + count_crlf(text) == text.size());
    check(without_cr(normalized) == without_cr(text));
    if (text.find('\r') == std::string_view::npos) {
        check(normalized == text);
    }

    const auto problem = vidb::migrate::text_problem(text);
    const bool acceptable
        = !text.starts_with("\xEF\xBB\xBF") && text.find('\0') == std::string_view::npos && valid_utf8(text);
    check(problem.has_value() != acceptable);
    if (problem) {
        check(!problem->empty() && problem->find('\n') == std::string::npos);
    }
    // Dropping CRs before LFs neither creates nor hides a problem.
    check(vidb::migrate::text_problem(normalized).has_value() == problem.has_value());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    // The first line is a file name, the rest (or the whole input) the file's text.
    const std::size_t newline = input.find('\n');
    check_file_name(input.substr(0, newline));
    check_file_name(input);
    check_text(input);
    if (newline != std::string_view::npos) {
        check_text(input.substr(newline + 1));
    }
    return 0;
}
