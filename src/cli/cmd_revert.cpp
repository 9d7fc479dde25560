#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/console_reporter.h"
#include "cli/json_shapes.h"
#include "cli/schema_file.h"
#include "cli/sql_script_output.h"
#include "common/error.h"
#include "migrate/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <limits>
#include <memory>

namespace vidb::cli {

namespace {

struct RevertOptions {
    int count = 0;
    std::string to;
    bool all = false;
    bool dry_run = false;
    bool sql = false;
    bool allow_drift = false;
    ChangeOptions change;
};

void run_revert(Context& context, const RevertOptions& options)
{
    const auto& out = context.out();
    migrate::RevertRequest request;
    if (options.all + !options.to.empty() + (options.count != 0) > 1) {
        throw UsageError("give one of N, --to V or --all");
    }
    request.all = options.all;
    request.allow_drift = options.allow_drift;
    if (!options.to.empty()) {
        request.to = parse_version_argument(options.to, "--to");
    }
    if (options.count != 0) {
        request.count = options.count;
    }
    auto engine_options = options.change.engine_options(context);
    if (options.sql) {
        refuse_json_with_sql(context);
    }
    auto connection = context.connect();
    migrate::History history(connection, context.schema());
    if (options.sql) {
        migrate::SilentReporter silent;
        migrate::Engine engine(history, migrate::Catalog::embedded(), silent, engine_options);
        migrate::SqlScript script;
        const auto planned = engine.revert_script(request, script);
        print_sql_script("revert", connection.database(), script, planned.size());
        return;
    }
    ConsoleReporter reporter(out);
    migrate::Engine engine(history, migrate::Catalog::embedded(), reporter, engine_options);
    const auto reverted = engine.revert(request, options.dry_run);
    if (!options.dry_run) {
        write_schema_file_if_asked(context, connection);
    }
    if (out.json()) {
        out.document(revert_json(options.dry_run, reverted, reporter.json_steps()));
        return;
    }
    if (reverted.empty()) {
        out.progress("Nothing to revert.");
    } else if (options.dry_run) {
        for (const auto* migration : reverted) {
            out.result("would revert " + migrate::label(*migration));
        }
    } else {
        out.progress(fmt::format("Reverted {} migration{}.", reverted.size(), reverted.size() == 1 ? "" : "s"));
    }
}

} // namespace

void add_revert_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<RevertOptions>();
    auto* command = app.add_subcommand("revert", "Revert the last N applied migrations (default 1)");
    command->add_option("N", options->count, "How many to revert")
        ->check(CLI::Range(1, std::numeric_limits<int>::max()));
    command->add_option("--to", options->to, "Revert every migration newer than this version (it stays applied)");
    command->add_flag("--all", options->all, "Revert every applied migration");
    auto* dry_run = command->add_flag("--dry-run", options->dry_run, "Show what would be reverted; change nothing");
    command->add_flag("--sql", options->sql, "With --dry-run: print the exact SQL vidb would send, as a psql script")
        ->needs(dry_run);
    command->add_flag("--allow-drift", options->allow_drift,
        "Revert migrations whose up file changed since they were applied, with this build's down SQL");
    options->change.add_to(*command);
    command->callback([&context, options] { run_revert(context, *options); });
}

} // namespace vidb::cli
