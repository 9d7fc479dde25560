#include "lint/report.h"

#include <fmt/format.h>

namespace vidb::lint {

namespace {

std::string plural(int count, const char* word)
{
    return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

const char* colour(Severity severity)
{
    switch (severity) {
    case Severity::info:
        return "\033[36m";
    case Severity::warning:
        return "\033[33m";
    case Severity::error:
        return "\033[31m";
    }
    return "";
}

} // namespace

Totals totals(const LintRun& run)
{
    Totals out;
    for (const auto& finding : run.findings) {
        ++(finding.severity == Severity::error          ? out.errors
                : finding.severity == Severity::warning ? out.warnings
                                                        : out.infos);
    }
    return out;
}

std::string text_line(const Finding& finding, bool color)
{
    const std::string severity = color
        ? fmt::format("{}{}\033[0m", colour(finding.severity), severity_name(finding.severity))
        : std::string(severity_name(finding.severity));
    return fmt::format(
        "{}:{}:{}: {}: {} [{}]", finding.file, finding.line, finding.column, severity, finding.message, finding.rule);
}

std::string text_summary(const LintRun& run)
{
    const Totals t = totals(run);
    return fmt::format("{}, {}, {} in {}", plural(t.errors, "error"), plural(t.warnings, "warning"),
        plural(t.infos, "info"), plural(static_cast<int>(run.files.size()), "file"));
}

Json findings_json(const LintRun& run)
{
    Json findings = Json::array();
    for (const auto& finding : run.findings) {
        findings.push_back({ { "file", finding.file }, { "line", finding.line }, { "column", finding.column },
            { "rule", finding.rule }, { "severity", severity_name(finding.severity) },
            { "message", finding.message } });
    }
    const Totals t = totals(run);
    return { { "ok", t.errors == 0 }, { "files", run.files.size() }, { "errors", t.errors }, { "warnings", t.warnings },
        { "infos", t.infos }, { "findings", findings } };
}

} // namespace vidb::lint
