#include "selftest/report.h"

#include "common/json.h"

#include <fmt/format.h>

namespace vidb::selftest {

namespace {

// A TAP description ends at '#' (it starts a directive) and at a newline.
std::string tap_text(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '#') {
            out += "\\#";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string format_tap(const Report& report)
{
    std::string out = "TAP version 13\n";
    out += fmt::format("1..{}\n", report.checks.size());
    int number = 0;
    for (const auto& check : report.checks) {
        ++number;
        const auto& outcome = check.outcome;
        switch (outcome.status) {
        case Status::pass:
            out += fmt::format("ok {} - {}\n", number, tap_text(check.name));
            break;
        case Status::skip:
            out += fmt::format("ok {} - {} # SKIP {}\n", number, tap_text(check.name), tap_text(outcome.message));
            continue;
        case Status::fail:
            out += fmt::format("not ok {} - {}\n", number, tap_text(check.name));
            break;
        }
        // The YAML diagnostic block of TAP 13; JSON strings are valid YAML scalars.
        out += "  ---\n";
        out += fmt::format("  duration_ms: {:.3f}\n", check.duration_ms);
        if (!outcome.message.empty()) {
            out += "  message: " + json_string(outcome.message) + "\n";
        }
        if (!check.file.empty()) {
            out += "  file: " + json_string(check.file) + "\n";
        }
        if (!outcome.details.empty()) {
            out += "  details:\n";
            for (const auto& detail : outcome.details) {
                out += "    - " + json_string(detail) + "\n";
            }
        }
        out += "  ...\n";
    }
    out += "# " + text_summary(report) + "\n";
    return out;
}

} // namespace vidb::selftest
