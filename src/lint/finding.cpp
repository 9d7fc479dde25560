#include "lint/finding.h"

#include <algorithm>

namespace vidb::lint {

const char* severity_name(Severity severity)
{
    switch (severity) {
    case Severity::info:
        return "info";
    case Severity::warning:
        return "warning";
    case Severity::error:
        return "error";
    }
    return "?";
}

std::optional<Severity> parse_severity(std::string_view text)
{
    for (const Severity severity : { Severity::info, Severity::warning, Severity::error }) {
        if (text == severity_name(severity)) {
            return severity;
        }
    }
    return std::nullopt;
}

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    std::size_t column = 1;
    for (std::size_t i = line_start; i < offset; ++i) {
        column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
    }
    return { line, column };
}

bool any_at_least(const std::vector<Finding>& findings, Severity severity)
{
    return std::any_of(
        findings.begin(), findings.end(), [severity](const Finding& finding) { return finding.severity >= severity; });
}

} // namespace vidb::lint
