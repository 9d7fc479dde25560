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
    bool accept_checksum = false;
    ChangeOptions change;
};

} // namespace

void add_repair_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<RepairOptions>();
    auto* command = app.add_subcommand(
        "repair", "Recover a partially applied or reverted no-transaction migration, or accept a deliberate edit");
    command->add_option("VERSION", options->version, "The partial or drifted migration (see vidb status)")->required();
    command->add_flag("--resume", options->resume,
        "Run its remaining statements (of the up, or of the down for a partial revert), after you fixed the cause");
    command->add_flag("--forget", options->forget,
        "Drop the partial record, after you undid by hand what it did (a partial revert stays applied)");
    command->add_flag("--accept-checksum", options->accept_checksum,
        "Record this build's checksum for a drifted applied migration (its edit was deliberate and the database "
        "already matches it)");
    options->change.add_to(*command);
    command->callback([&context, options] {
        if (options->resume + options->forget + options->accept_checksum != 1) {
            throw UsageError("repair needs exactly one of --resume, --forget or --accept-checksum");
        }
        const auto version = parse_version_argument(options->version, "VERSION");
        auto engine_options = options->change.engine_options(context);
        auto connection = context.connect();
        migrate::History history(connection, context.schema());
        ConsoleReporter reporter(context.out());
        migrate::Engine engine(history, migrate::Catalog::embedded(), reporter, engine_options);
        if (options->accept_checksum) {
            const auto accepted = engine.repair_accept_checksum(version);
            if (context.out().json()) {
                context.out().document(accept_checksum_json(version, accepted.old_checksum, accepted.new_checksum));
                return;
            }
            context.out().result(
                fmt::format("Accepted the edit of migration {}; its recorded checksum", version.argument()));
            context.out().result("  was " + accepted.old_checksum);
            context.out().result("  now " + accepted.new_checksum);
            return;
        }
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
