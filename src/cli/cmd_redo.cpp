#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/console_reporter.h"
#include "cli/json_shapes.h"
#include "cli/schema_file.h"
#include "migrate/engine.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

namespace vidb::cli {

void add_redo_command(CLI::App& app, Context& context)
{
    struct RedoOptions {
        bool allow_drift = false;
        ChangeOptions change;
    };
    auto options = std::make_shared<RedoOptions>();
    auto* command = app.add_subcommand("redo", "Revert the last applied migration and apply it again");
    command->add_flag("--allow-drift", options->allow_drift,
        "Redo even when its up file changed since it was applied (this build's down SQL reverts it)");
    options->change.add_to(*command);
    command->callback([&context, options] {
        auto engine_options = options->change.engine_options(context);
        auto connection = context.connect();
        migrate::History history(connection, context.schema());
        ConsoleReporter reporter(context.out());
        migrate::Engine engine(history, migrate::Catalog::embedded(), reporter, engine_options);
        const auto* migration = engine.redo(options->allow_drift);
        write_schema_file_if_asked(context, connection);
        if (context.out().json()) {
            context.out().document(redo_json(*migration, reporter.json_steps()));
            return;
        }
        context.out().progress("Redid " + migrate::label(*migration) + ".");
    });
}

} // namespace vidb::cli
