#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace vidb::cli {

// The first word of `args` (argv without the program name) that is neither an option,
// nor the value of an option of `app` that takes one, nor one of `app`'s commands: a
// typo to suggest a command for, or "" when there is none. Which options take a value
// comes from CLI11's own option objects, so a new global option needs no second list.
std::string unknown_command(const CLI::App& app, const std::vector<std::string>& args);

// Whether COMMAND runs, shows or checks migrations, so that a packed vidb must load (and
// verify) its payload before it starts. True for every command but the few that never
// touch migrations (ping, wait, up, down, new, unlock, pack, unpack): a new command
// is held to a damaged payload unless it is added here.
bool needs_migrations(const std::string& command);

} // namespace vidb::cli
