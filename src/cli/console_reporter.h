#pragma once

#include "cli/output.h"
#include "migrate/reporter.h"

namespace vidb::cli {

// Prints the engine's progress: one line per migration with its time, lock waits,
// retries; records what ran for the --json summary.
class ConsoleReporter : public migrate::Reporter {
public:
    explicit ConsoleReporter(const Output& out)
        : m_out(out)
    {
    }

    void waiting_for_lock(const std::string& holder, const std::string& since, double silent_for) override;
    void starting(const migrate::Migration& migration, migrate::Direction direction) override;
    void finished(
        const migrate::Migration& migration, migrate::Direction direction, std::chrono::milliseconds elapsed) override;
    void statement_ran(const migrate::Migration& migration, int index, int total, std::size_t line) override;
    void retrying(const migrate::Migration& migration, int attempt, const std::string& why) override;
    void note(const std::string& message) override;

    // The migrations that ran in this process, as step_json() objects.
    const Json& json_steps() const { return m_out.steps(); }

private:
    const Output& m_out;
};

} // namespace vidb::cli
