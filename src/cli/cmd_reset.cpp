#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/console_reporter.h"
#include "cli/json.h"
#include "common/error.h"
#include "db/error.h"
#include "localdb/reset.h"
#include "localdb/target.h"
#include "migrate/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace vidb::cli {

namespace {

struct ResetOptions {
    bool yes = false;
    ChangeOptions change;
};

// Why this reset needs --yes: a remote host, or a production environment.
std::vector<std::string> guard_reasons(Context& context)
{
    std::vector<std::string> reasons;
    if (!context.conninfo().is_local()) {
        reasons.push_back("the host is not local (" + context.conninfo().describe() + ")");
    }
    for (const char* name : { "ENVIRONMENT", "VIDB_ENV" }) {
        std::string value = context.env().get_or(name, "");
        std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
        if (value == "production" || value == "prod") {
            reasons.push_back(
                std::string(name) + "=" + context.env().get_or(name, "") + " (" + context.env().source_of(name) + ")");
        }
    }
    return reasons;
}

std::string describe(const localdb::DatabaseSummary& summary)
{
    return fmt::format("database {} on {} (owner {}): {} applied migration{}, {} table{}", summary.database,
        summary.host, summary.owner, summary.applied, summary.applied == 1 ? "" : "s", summary.tables,
        summary.tables == 1 ? "" : "s");
}

[[noreturn]] void refuse(Context& context, const std::vector<std::string>& reasons)
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
    std::string why;
    for (const auto& reason : reasons) {
        why += (why.empty() ? "" : " and ") + reason;
    }
    details.push_back("nothing was changed; run vidb reset --yes if you really mean it");
    throw RefusedError("refusing to reset without --yes: " + why, details);
}

void reset(Context& context, const ResetOptions& options)
{
    const auto& out = context.out();
    const auto engine_options = options.change.engine_options(context);
    if (const auto reasons = guard_reasons(context); !reasons.empty() && !options.yes) {
        refuse(context, reasons);
    }
    localdb::DatabaseSummary summary;
    {
        db::Connection connection = context.connect();
        summary = localdb::summarize_database(connection, context.schema());
    } // closed before the drop
    const auto& catalog = migrate::Catalog::embedded();
    out.progress(fmt::format("Resetting {}; then applying {} embedded migration{}.", describe(summary),
        catalog.migrations().size(), catalog.migrations().size() == 1 ? "" : "s"));
    ConsoleReporter reporter(out);
    std::string method = "recreated";
    std::string fallback_reason = summary.cannot_recreate_because;
    if (summary.can_recreate) {
        const std::string maintenance = summary.database == "postgres" ? "template1" : "postgres";
        try {
            localdb::recreate_database(
                localdb::conninfo_with_database(context.conninfo().options, maintenance), summary);
            out.progress("Dropped and recreated database " + summary.database + ".");
        } catch (const db::ConnectionError& error) {
            fallback_reason = "cannot reach the maintenance database " + maintenance + " (" + error.what() + ")";
        }
    }
    std::size_t reverted = 0;
    if (!fallback_reason.empty()) {
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
        out.result(fmt::format("{{\"ok\":true,\"database\":{},\"method\":\"{}\",\"reverted\":{},\"steps\":{}}}",
            json_string(summary.database), method, reverted, reporter.json_steps()));
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
        "Drop and recreate the database, then apply every migration (needs --yes for a remote host or "
        "ENVIRONMENT/VIDB_ENV=production)");
    command->add_flag("-y,--yes", options->yes, "Reset even a remote or production database");
    options->change.add_to(*command);
    command->callback([&context, options] { reset(context, *options); });
}

} // namespace vidb::cli
