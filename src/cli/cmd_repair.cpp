#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/console_reporter.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "migrate/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

namespace vidb::cli {

namespace {

struct RepairOptions {
    std::string version;
    bool resume = false;
    bool forget = false;
    ChangeOptions change;
};

} // namespace

void add_repair_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<RepairOptions>();
    auto* command = app.add_subcommand("repair", "Recover a partially applied no-transaction migration");
    command->add_option("VERSION", options->version, "The partial migration (see vidb status)")->required();
    command->add_flag("--resume", options->resume, "Run its remaining statements, after you fixed the cause");
    command->add_flag("--forget", options->forget, "Drop the partial record, after you undid its statements by hand");
    options->change.add_to(*command);
    command->callback([&context, options] {
        if (options->resume == options->forget) {
            throw UsageError("repair needs exactly one of --resume or --forget");
        }
        const auto version = parse_version_argument(options->version, "VERSION");
        auto engine_options = options->change.engine_options(context);
        auto connection = context.connect();
        migrate::History history(connection, context.schema());
        ConsoleReporter reporter(context.out());
        migrate::Engine engine(history, migrate::Catalog::embedded(), reporter, engine_options);
        if (options->resume) {
            engine.repair_resume(version);
        } else {
            engine.repair_forget(version);
        }
        if (context.out().json()) {
            context.out().document(repair_json(version, options->resume ? "resume" : "forget", reporter.json_steps()));
        }
    });
}

} // namespace vidb::cli
