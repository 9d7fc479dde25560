#include "selftest/check_result.h"

#include <algorithm>

namespace vidb::selftest {

const char* status_name(Status status)
{
    switch (status) {
    case Status::pass:
        return "pass";
    case Status::fail:
        return "fail";
    case Status::skip:
        return "skip";
    }
    return "?";
}

Outcome passed(std::string message, std::vector<std::string> details)
{
    return { Status::pass, std::move(message), std::move(details) };
}

Outcome failed(std::string message, std::vector<std::string> details)
{
    return { Status::fail, std::move(message), std::move(details) };
}

Outcome skipped(std::string reason)
{
    return { Status::skip, std::move(reason), {} };
}

int Report::count(Status status) const
{
    return static_cast<int>(std::count_if(
        checks.begin(), checks.end(), [status](const CheckResult& c) { return c.outcome.status == status; }));
}

} // namespace vidb::selftest
