#include "selftest/report.h"

#include <fmt/format.h>

#include <ctime>

namespace vidb::selftest {

namespace {

constexpr const char* k_replacement = "\xEF\xBF\xBD"; // U+FFFD

// Length of the UTF-8 sequence starting at `i` and its code point, or 0 when malformed.
std::size_t decode(std::string_view text, std::size_t i, char32_t& code_point)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = lead < 0x80 ? 1
        : (lead >> 5) == 0x6         ? 2
        : (lead >> 4) == 0xE         ? 3
        : (lead >> 3) == 0x1E        ? 4
                                     : 0;
    if (length == 0 || i + length > text.size()) {
        return 0;
    }
    code_point = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
        code_point = (code_point << 6) | (byte(i + k) & 0x3F);
    }
    // Overlong forms and values outside Unicode are malformed too.
    static constexpr char32_t k_min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (code_point < k_min[length] || code_point > 0x10FFFF) {
        return 0;
    }
    return length;
}

// XML 1.0's Char production: what a document may contain at all, even escaped.
bool allowed_in_xml(char32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
}

// Attribute values lose raw newlines and tabs to normalisation; keep them as references.
std::string attribute(std::string_view text)
{
    std::string out;
    for (const char c : xml_escape(text)) {
        if (c == '\n') {
            out += "&#10;";
        } else if (c == '\t') {
            out += "&#9;";
        } else if (c == '\r') {
            out += "&#13;";
        } else {
            out += c;
        }
    }
    return out;
}

const char* class_name(Group group)
{
    switch (group) {
    case Group::builtin:
        return "vidb.selftest";
    case Group::project:
        return "vidb.selftest.checks";
    case Group::roundtrip:
        return "vidb.selftest.roundtrip";
    case Group::lint:
        return "vidb.lint";
    }
    return "vidb.selftest";
}

std::string seconds(double ms)
{
    return fmt::format("{:.3f}", ms / 1000);
}

std::string testcase(const CheckResult& check)
{
    std::string out = fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", attribute(check.name),
        class_name(check.group), seconds(check.duration_ms));
    if (!check.file.empty()) {
        out += fmt::format(" file=\"{}\"", attribute(check.file));
    }
    const auto& outcome = check.outcome;
    if (outcome.status == Status::pass) {
        if (outcome.message.empty() && outcome.details.empty()) {
            return out + "/>\n";
        }
        // What a passing check found (versions, timings, the pooler) is worth keeping in CI.
        std::string text = outcome.message;
        for (const auto& detail : outcome.details) {
            text += (text.empty() ? "" : "\n") + detail;
        }
        return out + ">\n      <system-out>" + xml_escape(text) + "</system-out>\n    </testcase>\n";
    }
    out += ">\n";
    if (outcome.status == Status::skip) {
        out += fmt::format("      <skipped message=\"{}\"/>\n", attribute(outcome.message));
    } else {
        std::string body = outcome.message;
        for (const auto& detail : outcome.details) {
            body += "\n" + detail;
        }
        out += fmt::format("      <failure message=\"{}\" type=\"failure\">{}</failure>\n", attribute(outcome.message),
            xml_escape(body));
    }
    return out + "    </testcase>\n";
}

} // namespace

std::string xml_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        const std::size_t length = decode(text, i, c);
        if (length == 0) {
            out += k_replacement;
            ++i;
            continue;
        }
        if (!allowed_in_xml(c)) {
            out += k_replacement;
        } else if (c == '&') {
            out += "&amp;";
        } else if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '"') {
            out += "&quot;";
        } else if (c == '\'') {
            out += "&apos;";
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out;
}

std::string format_junit(const Report& report, std::string_view timestamp, std::string_view suite)
{
    const std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\"",
        report.checks.size(), report.count(Status::fail), report.count(Status::skip), seconds(report.duration_ms));
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"{}\" {}>\n", attribute(suite), counts);
    out += fmt::format("  <testsuite name=\"{}\" {}{}>\n", attribute(suite), counts,
        timestamp.empty() ? "" : " timestamp=\"" + attribute(timestamp) + "\"");
    for (const auto& check : report.checks) {
        out += testcase(check);
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

std::string junit_timestamp_now()
{
    const std::time_t now = std::time(nullptr);
    std::tm parts {};
    gmtime_r(&now, &parts);
    char buffer[32];
    return std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts) ? buffer : "";
}

} // namespace vidb::selftest
