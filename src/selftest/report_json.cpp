#include "selftest/report.h"

#include "common/json.h"

#include <cmath>

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
    case Group::lint:
        return "lint";
    }
    return "?";
}

// Milliseconds to the microsecond, as the text report shows them.
double rounded_ms(double ms)
{
    return std::round(ms * 1000.0) / 1000.0;
}

Json check_json(const CheckResult& check)
{
    Json out = { { "name", check.name }, { "group", group_name(check.group) },
        { "status", status_name(check.outcome.status) }, { "duration_ms", rounded_ms(check.duration_ms) },
        { "message", check.outcome.message }, { "details", check.outcome.details } };
    if (!check.file.empty()) {
        out["file"] = check.file;
    }
    return out;
}

} // namespace

std::string format_json(const Report& report)
{
    Json checks = Json::array();
    for (const auto& check : report.checks) {
        checks.push_back(check_json(check));
    }
    const Json document = { { "ok", report.ok() }, { "passed", report.count(Status::pass) },
        { "failed", report.count(Status::fail) }, { "skipped", report.count(Status::skip) },
        { "duration_ms", rounded_ms(report.duration_ms) }, { "checks", checks } };
    return json_dump(document) + "\n";
}

} // namespace vidb::selftest
