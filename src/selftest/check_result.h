#pragma once

#include <string>
#include <vector>

namespace vidb::selftest {

enum class Status { pass, fail, skip };

const char* status_name(Status status);

// What a check found: a one-line message (for a skip: the reason) and optional
// detail lines shown indented under it.
struct Outcome {
    Status status = Status::pass;
    std::string message;
    std::vector<std::string> details;
};

Outcome passed(std::string message, std::vector<std::string> details = {});
Outcome failed(std::string message, std::vector<std::string> details = {});
Outcome skipped(std::string reason);

// One line of the report.
// lint: a migration file checked by `vidb lint`, whose findings reuse these reports.
enum class Group { builtin, project, roundtrip, lint };

struct CheckResult {
    std::string name;
    Group group = Group::builtin;
    std::string file; // project checks: "checks/x.sql"
    double duration_ms = 0;
    Outcome outcome;
};

struct Report {
    std::vector<CheckResult> checks;
    double duration_ms = 0;

    int count(Status status) const;
    bool ok() const { return count(Status::fail) == 0; }
};

} // namespace vidb::selftest
