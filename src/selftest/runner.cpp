#include "selftest/runner.h"

#include "db/error.h"
#include "db/interrupt.h"
#include "selftest/builtin_checks.h"
#include "selftest/history_checks.h"
#include "selftest/project_checks.h"
#include "selftest/roundtrip.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <optional>

namespace vidb::selftest {

namespace {

using clock = std::chrono::steady_clock;

double ms_since(clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(clock::now() - start).count();
}

// What the checks share while one run goes on.
struct Session {
    std::optional<db::Connection> connection;
    ServerFacts facts;
    std::optional<migrate::History> history;
    HistoryView view;
    std::optional<Roundtrip> roundtrip;
};

struct Step {
    CheckResult check;
    std::function<Outcome()> run;
    bool required = false; // the checks after it need it to pass
};

std::vector<Step> build_steps(
    Session& s, const migrate::Catalog& catalog, const RunOptions& options, const Runner::Connector* connect)
{
    std::vector<Step> steps;
    const auto add = [&steps](std::string name, Group group, std::function<Outcome()> run, std::string file = "") {
        steps.push_back({ CheckResult { std::move(name), group, std::move(file), 0, {} }, std::move(run) });
    };
    add("connect", Group::builtin, [&s, &options, connect] {
        s.connection.emplace((*connect)());
        s.history.emplace(*s.connection, options.schema);
        const auto start = clock::now();
        s.connection->exec("SELECT 1");
        const double round_trip = ms_since(start);
        return passed(fmt::format("{}@{}:{}/{}, round trip {:.2f} ms", s.connection->user(), s.connection->host(),
            s.connection->port(), s.connection->database(), round_trip));
    });
    steps.back().required = true;
    add("server version", Group::builtin, [&s] {
        s.facts = read_server_facts(*s.connection);
        return check_server_version(s.facts);
    });
    add("connection pooler", Group::builtin, [&s, &options] { return check_pooler(*s.connection, options.conninfo); });
    add("migrate privileges", Group::builtin, [&s] { return check_privileges(*s.connection, *s.history, s.facts); });
    add("history table", Group::builtin, [&s, &catalog] {
        s.view = read_history(*s.history, *s.connection);
        return check_history_table(s.view, catalog);
    });
    add("migrations applied", Group::builtin, [&s, &catalog] { return check_all_applied(s.view, catalog); });
    add("no unknown versions", Group::builtin, [&s, &catalog] { return check_no_unknown(s.view, catalog); });
    add("no checksum drift", Group::builtin, [&s, &catalog] { return check_no_drift(s.view, catalog); });
    add("no partial migrations", Group::builtin, [&s, &catalog] { return check_no_partial(s.view, catalog); });
    add("no invalid indexes", Group::builtin, [&s] { return check_invalid_indexes(*s.connection); });
    for (const auto& check : catalog.checks()) {
        add(
            std::string(check.file_name), Group::project,
            [&s, &check] { return run_project_check(*s.connection, check, s.facts.read_only_reason); },
            std::string(check.file_name));
    }
    if (options.roundtrip) {
        add("roundtrip: apply all", Group::roundtrip, [&s, &catalog, &options] {
            s.roundtrip.emplace(*s.connection, catalog,
                RoundtripOptions { options.conninfo, options.schema, s.facts.read_only_reason });
            return s.roundtrip->apply_all();
        });
        add("roundtrip: revert all", Group::roundtrip, [&s] { return s.roundtrip->revert_all(); });
        // The last step drops the scratch database.
        const auto finish = [&s](Outcome outcome) {
            if (const auto problem = s.roundtrip->cleanup()) {
                outcome.status = Status::fail;
                outcome.details.push_back(*problem);
            }
            return outcome;
        };
        const bool repeatables = !catalog.repeatables().empty();
        add("roundtrip: apply again", Group::roundtrip, [&s, finish, repeatables] {
            Outcome outcome = s.roundtrip->apply_again();
            return repeatables ? outcome : finish(std::move(outcome));
        });
        if (repeatables) {
            add("roundtrip: repeatables twice", Group::roundtrip,
                [&s, finish] { return finish(s.roundtrip->repeat_repeatables()); });
        }
    }
    return steps;
}

} // namespace

Runner::Runner(const migrate::Catalog& catalog, RunOptions options)
    : m_catalog(catalog)
    , m_options(std::move(options))
{
}

std::vector<CheckResult> Runner::plan() const
{
    Session session;
    std::vector<CheckResult> checks;
    for (auto& step : build_steps(session, m_catalog, m_options, nullptr)) {
        checks.push_back(std::move(step.check));
    }
    return checks;
}

RunResult Runner::run(const Connector& connect, const Listener& on_result) const
{
    const auto started = clock::now();
    Session session;
    RunResult result;
    std::string stop; // once set, the remaining checks are skipped with this reason
    for (auto& step : build_steps(session, m_catalog, m_options, &connect)) {
        CheckResult check = std::move(step.check);
        const auto start = clock::now();
        if (!stop.empty()) {
            check.outcome = skipped(stop); // duration stays 0
        } else {
            try {
                check.outcome = step.run();
            } catch (const db::ConnectionError& error) {
                check.outcome = failed(error.what(), error.details());
                result.exit_code = error.exit_status();
                stop = session.connection ? "the connection to the database was lost" : "not connected to the database";
            } catch (const Error& error) {
                check.outcome = failed(error.what(), error.details());
            } catch (const std::exception& error) {
                check.outcome = failed(std::string("unexpected error: ") + error.what());
            }
            if (const int signal_number = db::interrupted_signal(); signal_number != 0 && stop.empty()) {
                stop = db::describe_signal(signal_number);
                result.exit_code = static_cast<int>(db::exit_code_for_signal(signal_number));
            }
            if (step.required && check.outcome.status == Status::fail && stop.empty()) {
                stop = "not connected to the database";
                result.exit_code = static_cast<int>(ExitCode::unreachable);
            }
            if (session.connection) {
                session.connection->rollback_if_in_transaction();
            }
            check.duration_ms = ms_since(start);
        }
        result.report.checks.push_back(check);
        on_result(check);
    }
    // Stopped before the roundtrip's last step: drop the scratch database now.
    if (session.roundtrip) {
        if (const auto problem = session.roundtrip->cleanup()) {
            CheckResult cleanup { "roundtrip: drop scratch database", Group::roundtrip, "", 0, failed(*problem) };
            result.report.checks.push_back(cleanup);
            on_result(cleanup);
        }
    }
    result.report.duration_ms = ms_since(started);
    if (result.exit_code == 0 && !result.report.ok()) {
        result.exit_code = static_cast<int>(ExitCode::failure);
    }
    return result;
}

} // namespace vidb::selftest
