#include "selftest/report.h"

#include "cli/json.h"

#include <fmt/format.h>

namespace vidb::selftest {

namespace {

const char* group_name(Group group)
{
    switch (group) {
    case Group::builtin:
        return "builtin";
    case Group::project:
        return "project";
    case Group::roundtrip:
        return "roundtrip";
    }
    return "?";
}

std::string check_json(const CheckResult& check)
{
    std::string details;
    for (const auto& detail : check.outcome.details) {
        details += (details.empty() ? "" : ",") + cli::json_string(detail);
    }
    return fmt::format("{{\"name\":{},\"group\":\"{}\",\"status\":\"{}\",\"duration_ms\":{:.3f},\"message\":{},"
                       "\"details\":[{}]{}}}",
        cli::json_string(check.name), group_name(check.group), status_name(check.outcome.status), check.duration_ms,
        cli::json_string(check.outcome.message), details,
        check.file.empty() ? "" : ",\"file\":" + cli::json_string(check.file));
}

} // namespace

std::string format_json(const Report& report)
{
    std::string checks;
    for (const auto& check : report.checks) {
        checks += (checks.empty() ? "" : ",") + check_json(check);
    }
    return fmt::format(
        "{{\"ok\":{},\"passed\":{},\"failed\":{},\"skipped\":{},\"duration_ms\":{:.3f},\"checks\":[{}]}}\n",
        report.ok(), report.count(Status::pass), report.count(Status::fail), report.count(Status::skip),
        report.duration_ms, checks);
}

} // namespace vidb::selftest
