#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/console_reporter.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "migrate/adopt.h"
#include "migrate/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

namespace vidb::cli {

namespace {

struct BaselineOptions {
    std::string to;
    bool dry_run = false;
    ChangeOptions change;
};

void run_baseline(Context& context, const BaselineOptions& options)
{
    const auto to = parse_version_argument(options.to, "--to");
    const auto& catalog = migrate::Catalog::embedded();
    auto engine_options = options.change.engine_options(context);
    auto connection = context.connect();
    migrate::History history(connection, context.schema());
    auto plan = migrate::plan_baseline(catalog, history.read(), to);
    const auto& out = context.out();
    // What will be recorded is shown before it is (on stderr with --json).
    if (!out.json() && !plan.record.empty()) {
        out.result(fmt::format("{} {} migration{} up to {} as applied, without running them:",
            options.dry_run ? "Would record" : "Recording", plan.record.size(), plan.record.size() == 1 ? "" : "s",
            migrate::format_version(catalog, to)));
        for (const auto* migration : plan.record) {
            out.result("  " + migrate::label(*migration));
        }
    }
    if (!options.dry_run && !plan.record.empty()) {
        ConsoleReporter reporter(out);
        migrate::Engine engine(history, catalog, reporter, engine_options);
        engine.locked([&](const migrate::HistorySnapshot& snapshot, const migrate::Engine::Checkpoint& checkpoint) {
            const auto shown = plan.record;
            plan = migrate::plan_baseline(catalog, snapshot, to);
            if (plan.record != shown) {
                throw RefusedError("the history changed while vidb waited for the migration lock",
                    { "nothing was changed; run vidb baseline again to see what it would record now" });
            }
            checkpoint("recording the baseline");
            migrate::write_records(history, plan.record, "baseline by " + context.applied_by());
        });
    }
    if (out.json()) {
        out.document(baseline_json(migrate::format_version(catalog, to), options.dry_run, plan.record, plan.already));
        return;
    }
    if (plan.record.empty()) {
        out.result(fmt::format("Nothing to record: vidb's history already records every migration up to {}.",
            migrate::format_version(catalog, to)));
    } else if (!options.dry_run) {
        out.result(fmt::format(
            "Recorded. vidb migrate now applies only what comes after {}.", migrate::format_version(catalog, to)));
    }
}

} // namespace

void add_baseline_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<BaselineOptions>();
    auto* command = app.add_subcommand("baseline",
        "Record every migration up to a version as applied without running it (a database built by hand or by "
        "another tool)");
    command->add_option("--to", options->to, "The newest migration already in the database")->required();
    command->add_flag("--dry-run", options->dry_run, "Show what would be recorded; change nothing");
    options->change.add_to(*command);
    command->callback([&context, options] { run_baseline(context, *options); });
}

} // namespace vidb::cli
