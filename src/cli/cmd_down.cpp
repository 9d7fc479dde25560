// Placeholder until the down command lands.
#include "cli/commands.h"
#include "cli/context.h"
#include "common/error.h"

#include <CLI/CLI.hpp>

namespace vidb::cli {

void add_down_command(CLI::App& app, Context& context)
{
    auto* command = app.add_subcommand("down", "(not implemented yet)");
    command->callback([&context] {
        (void)context;
        throw Error(ExitCode::failure, "vidb down is not implemented yet");
    });
}

} // namespace vidb::cli
