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

struct AdoptOptions {
    std::string from;
    std::string table;
    bool dry_run = false;
    ChangeOptions change;
};

void run_adopt(Context& context, const AdoptOptions& options)
{
    const auto source = migrate::parse_adopt_source(options.from);
    if (!source) {
        throw UsageError("--from: expected dbmate, goose, golang-migrate or flyway, got '" + options.from + "'");
    }
    const std::string tool = migrate::adopt_source_name(*source);
    const std::string table = options.table.empty() ? migrate::default_adopt_table(*source) : options.table;
    const auto& catalog = migrate::Catalog::embedded();
    auto engine_options = options.change.engine_options(context);
    auto connection = context.connect();
    migrate::History history(connection, context.schema());
    // Read and check everything before any lock or table is created: a refusal changes nothing.
    auto foreign = migrate::read_foreign_history(connection, *source, table);
    auto plan = migrate::plan_adopt(catalog, history.read(), *source, foreign);
    auto repeatables = migrate::plan_adopt_repeatables(catalog, migrate::repeatable_status(history, catalog), foreign);
    if (!options.dry_run && (!plan.record.empty() || !repeatables.record.empty())) {
        ConsoleReporter reporter(context.out());
        migrate::Engine engine(history, catalog, reporter, engine_options);
        engine.locked([&](const migrate::HistorySnapshot& snapshot, const migrate::Engine::Checkpoint& checkpoint) {
            // Again under the lock: another vidb (or the old tool) may have acted meanwhile.
            foreign = migrate::read_foreign_history(connection, *source, table);
            plan = migrate::plan_adopt(catalog, snapshot, *source, foreign);
            repeatables
                = migrate::plan_adopt_repeatables(catalog, migrate::repeatable_status(history, catalog), foreign);
            checkpoint("recording the adopted migrations");
            migrate::write_records(
                history, plan.record, "adopted from " + tool + " by " + context.applied_by(), repeatables.record);
        });
    }
    const auto& out = context.out();
    if (out.json()) {
        Json document = adopt_json(tool, foreign.table, options.dry_run, plan.record, plan.already);
        document["repeatables"] = repeatable_labels_json(repeatables.record);
        document["repeatables_changed"] = repeatable_labels_json(repeatables.changed);
        out.document(document);
        return;
    }
    for (const auto* repeatable : repeatables.record) {
        out.result(fmt::format("{} repeatable R__{} as applied (its file has the checksum {} recorded)",
            options.dry_run ? "Would record" : "Recorded", repeatable->name, tool));
    }
    for (const auto* repeatable : repeatables.changed) {
        out.result(fmt::format(
            "Repeatable R__{} changed since {} applied it: vidb migrate applies it again", repeatable->name, tool));
    }
    if (plan.record.empty()) {
        out.result(fmt::format("Nothing to adopt: vidb's history already records the {} migration{} {} applied ({}).",
            plan.already.size(), plan.already.size() == 1 ? "" : "s", tool, foreign.table));
        return;
    }
    out.result(fmt::format("{} {} migration{} {} applied ({}){}:", options.dry_run ? "Would record" : "Recorded",
        plan.record.size(), plan.record.size() == 1 ? "" : "s", tool, foreign.table,
        options.dry_run ? ", without running them" : " as applied, without running them"));
    for (const auto* migration : plan.record) {
        out.result("  " + migrate::label(*migration));
    }
    if (!plan.already.empty()) {
        out.result(fmt::format("({} already recorded before.)", plan.already.size()));
    }
    if (!options.dry_run) {
        out.result(fmt::format("{} was left untouched; vidb status shows the history, vidb migrate applies what is "
                               "new. Drop {} once you no longer need {}.",
            foreign.table, foreign.table, tool));
    }
}

} // namespace

void add_adopt_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<AdoptOptions>();
    auto* command = app.add_subcommand(
        "adopt", "Take over a database another tool migrated: record what it applied in vidb's history");
    command->add_option("--from", options->from, "The tool that migrated it: dbmate, goose, golang-migrate or flyway")
        ->required();
    command->add_option("--table", options->table,
        "Its history table, if not the default (schema_migrations; goose: goose_db_version; flyway: "
        "flyway_schema_history); may be SCHEMA.TABLE");
    command->add_flag("--dry-run", options->dry_run, "Show what would be recorded; change nothing");
    options->change.add_to(*command);
    command->callback([&context, options] { run_adopt(context, *options); });
}

} // namespace vidb::cli
