#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/console_reporter.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "db/error.h"
#include "localdb/reset.h"
#include "localdb/reset_guard.h"
#include "localdb/target.h"
#include "migrate/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <optional>

namespace vidb::cli {

namespace {

// The guard, as `vidb reset --help` prints it (MIGRATIONS.md, "vidb reset", says the same);
// the variable names come from the list the guard reads.
std::string reset_rule()
{
    std::string names;
    std::size_t line = 0;
    for (const char* name : localdb::k_stage_variables) {
        const std::string item = std::string(names.empty() ? "" : ", ") + name;
        if (line + item.size() > 72) {
            names += ",\n    ";
            line = 4;
            names += name;
            line += std::string_view(name).size();
        } else {
            names += item;
            line += item.size();
        }
    }
    return "Without --yes, reset goes ahead only when all of these hold:\n"
           "  - no production signal: none of these variables (environment or .env) is\n"
           "    production, prod or live, in any case:\n    "
        + names
        + "\n"
          "  - the host is local: a Unix socket, localhost, 127.x or ::1;\n"
          "  - the database is disposable: either its server is the one vidb up runs for this\n"
          "    project (.vidb/pg-<port>, same start time), or it holds no data: no large object\n"
          "    and no row in any table except vidb's history tables.\n"
          "A local port (PgBouncer, kubectl port-forward, cloud-sql-proxy) may lead anywhere,\n"
          "so a database with rows behind one is never reset without --yes.\n"
          "Every refusal (exit 4) happens before the first change.";
}

struct ResetOptions {
    bool yes = false;
    ChangeOptions change;
};

std::string describe(const localdb::DatabaseSummary& summary)
{
    return fmt::format("database {} on {} (owner {}): {} applied migration{}, {} table{}", summary.database,
        summary.host, summary.owner, summary.applied, summary.applied == 1 ? "" : "s", summary.tables,
        summary.tables == 1 ? "" : "s");
}

[[noreturn]] void refuse(Context& context, const std::string& why)
{
    std::vector<std::string> details;
    try {
        // Only to say what is at stake; a refusal never depends on reaching the server.
        db::Connection connection = db::Connection::open(context.conninfo().text, 5);
        details.push_back("it would destroy " + describe(localdb::summarize_database(connection, context.schema())));
    } catch (const Error&) {
        details.push_back("it would destroy database " + context.conninfo().effective("dbname") + " on "
            + context.conninfo().describe());
    }
    details.push_back("without --yes, reset destroys only a database on this machine that vidb up serves or that "
                      "holds no rows outside vidb's history, and never with a production environment variable "
                      "(see vidb reset --help)");
    details.push_back("nothing was changed; run vidb reset --yes if you really mean it");
    throw RefusedError("refusing to reset without --yes: " + why, details);
}

// The guard (MIGRATIONS.md, "vidb reset"): returns what let this reset go ahead.
std::string check_guard(Context& context, bool yes)
{
    if (yes) {
        return "--yes";
    }
    std::vector<std::string> reasons;
    if (!context.conninfo().is_local()) {
        reasons.push_back("the host is not local (" + context.conninfo().describe() + ")");
    }
    for (const auto& signal : localdb::production_signals(context.env())) {
        reasons.push_back(signal);
    }
    if (!reasons.empty()) {
        std::string why;
        for (const auto& reason : reasons) {
            why += (why.empty() ? "" : " and ") + reason;
        }
        refuse(context, why);
    }
    db::Connection connection = context.connect();
    const auto verdict = localdb::check_disposable(connection, context.schema());
    if (!verdict.disposable) {
        refuse(context, "the database may hold data: " + verdict.reason);
    }
    return verdict.reason;
}

void reset(Context& context, const ResetOptions& options)
{
    const auto& out = context.out();
    const auto engine_options = options.change.engine_options(context);
    const auto& catalog = migrate::Catalog::embedded();

    // Plan and check everything first: a refusal must leave the database as it was.
    const std::string guard = check_guard(context, options.yes);
    localdb::DatabaseSummary summary;
    {
        db::Connection connection = context.connect();
        summary = localdb::summarize_database(connection, context.schema());
    } // closed before the drop
    std::optional<db::Connection> maintenance;
    std::string fallback_reason = summary.cannot_recreate_because;
    if (summary.can_recreate) {
        const std::string maintenance_db = summary.database == "postgres" ? "template1" : "postgres";
        try {
            maintenance.emplace(
                db::Connection::open(localdb::conninfo_with_database(context.conninfo().options, maintenance_db)));
        } catch (const db::ConnectionError& error) {
            fallback_reason = "cannot reach the maintenance database " + maintenance_db + " (" + error.what() + ")";
        }
    }
    if (!maintenance) {
        localdb::check_can_revert_all(catalog, summary.history);
    }

    out.progress(fmt::format("Resetting {}; then applying {} embedded migration{}.", describe(summary),
        catalog.migrations().size(), catalog.migrations().size() == 1 ? "" : "s"));
    ConsoleReporter reporter(out);
    std::string method = "recreated";
    std::size_t reverted = 0;
    if (maintenance) {
        localdb::recreate_database(*maintenance, summary);
        out.record_change("dropped and recreated database " + summary.database);
        out.progress("Dropped and recreated database " + summary.database + ".");
    } else {
        method = "reverted";
        out.progress("The " + fallback_reason
            + ", so reset reverts every applied migration instead of dropping "
              "the database (objects the migrations did not create are kept).");
        db::Connection connection = context.connect();
        migrate::History history(connection, context.schema());
        migrate::Engine engine(history, catalog, reporter, engine_options);
        migrate::RevertRequest request;
        request.all = true;
        reverted = engine.revert(request, false).size();
    }
    db::Connection connection = context.connect();
    migrate::History history(connection, context.schema());
    migrate::Engine engine(history, catalog, reporter, engine_options);
    const auto outcome = engine.migrate({}, false);
    if (out.json()) {
        out.document(reset_json(summary.database, method, reverted, reporter.json_steps(), guard));
        return;
    }
    out.progress(fmt::format("Reset done: database {} has {} migration{} applied.", summary.database,
        outcome.applied.size(), outcome.applied.size() == 1 ? "" : "s"));
}

} // namespace

void add_reset_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<ResetOptions>();
    auto* command = app.add_subcommand("reset",
        "Drop and recreate the database, then apply every migration (without --yes only a disposable local "
        "database)");
    command->add_flag("-y,--yes", options->yes, "Reset any database, even a remote or production one");
    command->footer(reset_rule());
    options->change.add_to(*command);
    command->callback([&context, options] { reset(context, *options); });
}

} // namespace vidb::cli
