#include "migrate/source_text.h"

#include <cstddef>
#include <string>

namespace vidb::migrate {

std::string normalize_line_endings(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        }
        out.push_back(text[i]);
    }
    return out;
}

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xBF;
    if (lead < 0x80) {
        return 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
            min_second = 0xA0; // overlong
        } else if (lead == 0xED) {
            max_second = 0x9F; // surrogates
        }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
            min_second = 0x90;
        } else if (lead == 0xF4) {
            max_second = 0x8F;
        }
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    if (byte(i + 1) < min_second || byte(i + 1) > max_second) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
    }
    return length;
}

std::size_t line_of(std::string_view text, std::size_t offset)
{
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        line += text[i] == '\n' ? 1 : 0;
    }
    return line;
}

} // namespace

std::optional<std::string> text_problem(std::string_view text)
{
    if (text.starts_with("\xEF\xBB\xBF")) {
        return "starts with a UTF-8 byte order mark (BOM); save the file as UTF-8 without BOM";
    }
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\0') {
            return "contains a NUL byte on line " + std::to_string(line_of(text, i));
        }
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            return "is not valid UTF-8 (line " + std::to_string(line_of(text, i)) + "); PostgreSQL would reject it";
        }
        i += length;
    }
    return std::nullopt;
}

} // namespace vidb::migrate
