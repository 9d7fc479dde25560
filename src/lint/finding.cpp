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

bool any_at_least(const std::vector<Finding>& findings, Severity severity)
{
    return std::any_of(
        findings.begin(), findings.end(), [severity](const Finding& finding) { return finding.severity >= severity; });
}

} // namespace vidb::lint
