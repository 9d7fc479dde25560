#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/console_reporter.h"
#include "cli/json_shapes.h"
#include "cli/schema_file.h"
#include "cli/sql_script_output.h"
#include "migrate/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <memory>

namespace vidb::cli {

namespace {

struct MigrateOptions {
    std::string to;
    bool dry_run = false;
    bool sql = false;
    bool allow_out_of_order = false;
    ChangeOptions change;
};

// "0002, 0004" as the files spell them.
std::string version_list(const std::vector<migrate::MigrationVersion>& versions)
{
    std::string out;
    for (const auto& version : versions) {
        out += (out.empty() ? "" : ", ") + migrate::format_version(migrate::Catalog::embedded(), version);
    }
    return out;
}

void run_migrate(Context& context, const MigrateOptions& options)
{
    const auto& out = context.out();
    migrate::MigrateRequest request;
    request.allow_out_of_order = options.allow_out_of_order;
    if (!options.to.empty()) {
        request.to = parse_version_argument(options.to, "--to");
    }
    auto engine_options = options.change.engine_options(context);
    if (options.sql) {
        refuse_json_with_sql(context);
    }
    if (migrate::Catalog::embedded().migrations().empty()) {
        // The generic release binary carries none: say so before connecting anywhere.
        out.warning("this vidb carries no migrations: nothing to apply. Pack your folder into a copy of it: "
                    "vidb pack DIR -o FILE, then run FILE migrate (MIGRATIONS.md, \"Packing your migrations\")");
        if (out.json()) {
            out.document(migrate_json(options.dry_run, {}, Json::array(), {}, {}, 0));
        }
        return;
    }
    auto connection = context.connect();
    migrate::History history(connection, context.schema());
    if (options.sql) {
        migrate::SilentReporter silent;
        migrate::Engine engine(history, migrate::Catalog::embedded(), silent, engine_options);
        migrate::SqlScript script;
        const auto outcome = engine.migrate_script(request, script);
        print_sql_script("migrate", connection.database(), script, outcome.planned.size());
        return;
    }
    ConsoleReporter reporter(out);
    migrate::Engine engine(history, migrate::Catalog::embedded(), reporter, engine_options);
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = engine.migrate(request, options.dry_run);
    const auto ms
        = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    if (!outcome.missing.empty()) {
        out.warning(fmt::format("the database has {} applied migration(s) whose files this binary lacks ({}), "
                                "although it carries newer ones: were their files deleted? They were left alone; "
                                "restore the files (vidb status lists them)",
            outcome.missing.size(), version_list(outcome.missing)));
    }
    if (!outcome.unknown.empty()) {
        out.warning(
            fmt::format("the database has {} applied migration(s) this binary does not carry ({}): a newer build "
                        "applied them; they were left alone",
                outcome.unknown.size(), version_list(outcome.unknown)));
    }
    if (!options.dry_run) {
        write_schema_file_if_asked(context, connection);
    }
    if (out.json()) {
        Json document = migrate_json(
            options.dry_run, outcome.planned, reporter.json_steps(), outcome.unknown, outcome.missing, ms);
        document["repeatables"]
            = repeatable_labels_json(options.dry_run ? outcome.repeatables_planned : outcome.repeatables_applied);
        out.document(document);
        return;
    }
    if (options.dry_run) {
        if (outcome.planned.empty() && outcome.repeatables_planned.empty()) {
            out.result("Nothing to apply: the database is up to date.");
        }
        for (const auto* migration : outcome.planned) {
            out.result(fmt::format("would apply {}{}", migrate::label(*migration),
                migration->up_no_transaction ? " (no transaction)" : ""));
        }
        for (const auto* repeatable : outcome.repeatables_planned) {
            out.result(fmt::format("would apply R__{} (repeatable)", repeatable->name));
        }
        return;
    }
    if (!outcome.repeatables_applied.empty()) {
        out.progress(fmt::format("Applied {} migration{} and {} repeatable migration{} in {} ms.",
            outcome.applied.size(), outcome.applied.size() == 1 ? "" : "s", outcome.repeatables_applied.size(),
            outcome.repeatables_applied.size() == 1 ? "" : "s", ms));
        return;
    }
    if (outcome.applied.empty()) {
        out.progress(outcome.planned.empty() ? "Nothing to apply: the database is up to date."
                                             : "Nothing to apply: another vidb applied the pending migrations.");
        return;
    }
    out.progress(fmt::format(
        "Applied {} migration{} in {} ms.", outcome.applied.size(), outcome.applied.size() == 1 ? "" : "s", ms));
}

} // namespace

void add_migrate_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<MigrateOptions>();
    auto* command = app.add_subcommand("migrate", "Apply pending migrations in order");
    command->add_option("--to", options->to, "Stop after this version");
    auto* dry_run = command->add_flag("--dry-run", options->dry_run, "Show what would be applied; change nothing");
    command->add_flag("--sql", options->sql, "With --dry-run: print the exact SQL vidb would send, as a psql script")
        ->needs(dry_run);
    command->add_flag("--allow-out-of-order", options->allow_out_of_order,
        "Apply pending migrations older than the newest applied one");
    options->change.add_to(*command);
    command->callback([&context, options] { run_migrate(context, *options); });
}

} // namespace vidb::cli
