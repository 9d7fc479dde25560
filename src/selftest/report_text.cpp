#include "selftest/report.h"

#include <fmt/format.h>

#include <algorithm>

namespace vidb::selftest {

namespace {

const char* mark(Status status)
{
    switch (status) {
    case Status::pass:
        return "✓";
    case Status::fail:
        return "✗";
    case Status::skip:
        return "○";
    }
    return "?";
}

const char* colour(Status status)
{
    switch (status) {
    case Status::pass:
        return "\033[32m";
    case Status::fail:
        return "\033[31m";
    case Status::skip:
        return "\033[33m";
    }
    return "";
}

} // namespace

std::string format_duration(double ms)
{
    if (ms >= 1000) {
        return fmt::format("{:.2f} s", ms / 1000);
    }
    return fmt::format("{:.1f} ms", ms);
}

std::string text_line(const CheckResult& check, std::size_t name_width, bool color)
{
    const Status status = check.outcome.status;
    const std::string time = status == Status::skip ? "skipped" : format_duration(check.duration_ms);
    std::string line = fmt::format("{} {:<{}}  {:>9}", mark(status), check.name, name_width, time);
    if (color) {
        line = fmt::format("{}{}\033[0m {:<{}}  {:>9}", colour(status), mark(status), check.name, name_width, time);
    }
    if (!check.outcome.message.empty()) {
        line += "  " + check.outcome.message;
    }
    return line;
}

std::vector<std::string> text_details(const CheckResult& check)
{
    std::vector<std::string> lines;
    for (const auto& detail : check.outcome.details) {
        lines.push_back("      " + detail);
    }
    return lines;
}

std::string text_summary(const Report& report)
{
    std::string summary = fmt::format("{} passed, {} failed", report.count(Status::pass), report.count(Status::fail));
    if (const int skipped = report.count(Status::skip); skipped > 0) {
        summary += fmt::format(", {} skipped", skipped);
    }
    return summary;
}

std::string format_text(const Report& report, bool color)
{
    std::size_t width = 0;
    for (const auto& check : report.checks) {
        width = std::max(width, check.name.size());
    }
    std::string out;
    for (const auto& check : report.checks) {
        out += text_line(check, width, color) + "\n";
        for (const auto& detail : text_details(check)) {
            out += detail + "\n";
        }
    }
    return out + text_summary(report) + "\n";
}

} // namespace vidb::selftest
