#pragma once

#include "db/connection.h"
#include "db/conninfo.h"
#include "migrate/catalog.h"
#include "selftest/check_result.h"

#include <functional>
#include <string>
#include <vector>

namespace vidb::selftest {

struct RunOptions {
    bool roundtrip = false;
    std::string schema; // of vidb's history table ("" = the connection's default)
    db::Conninfo conninfo; // for the pooler probe's second connection and the scratch database
};

struct RunResult {
    Report report;
    // 0 nothing failed, 1 a check failed, 3 (or the connect error's own code) cannot connect
    // or the connection was lost, 130/143 interrupted by SIGINT/SIGTERM.
    int exit_code = 0;
};

// Runs the built-in checks, then the project checks, then (with --roundtrip) the
// roundtrip, each timed and reported through `on_result` as it finishes. After a
// failed connect, a lost connection or Ctrl-C the remaining checks are reported as
// skipped with that reason, so every report lists the same checks.
class Runner {
public:
    using Connector = std::function<db::Connection()>;
    using Listener = std::function<void(const CheckResult&)>;

    Runner(const migrate::Catalog& catalog, RunOptions options);

    // The checks a run reports, in order, with their outcomes still empty.
    std::vector<CheckResult> plan() const;
    RunResult run(const Connector& connect, const Listener& on_result) const;

private:
    const migrate::Catalog& m_catalog;
    RunOptions m_options;
};

} // namespace vidb::selftest
