#pragma once

namespace CLI {
class App;
}

namespace vidb::cli {

class Context;

// One function per command file; app.cpp calls them all.
void add_migrate_command(CLI::App& app, Context& context);
void add_revert_command(CLI::App& app, Context& context);
void add_redo_command(CLI::App& app, Context& context);
void add_repair_command(CLI::App& app, Context& context);
void add_unlock_command(CLI::App& app, Context& context); // src/cli/cmd_unlock.cpp
void add_status_command(CLI::App& app, Context& context);
void add_list_command(CLI::App& app, Context& context);
void add_show_command(CLI::App& app, Context& context);
void add_new_command(CLI::App& app, Context& context);
void add_version_command(CLI::App& app, Context& context);
void add_ping_command(CLI::App& app, Context& context);
void add_wait_command(CLI::App& app, Context& context);
void add_selftest_command(CLI::App& app, Context& context); // src/cli/cmd_selftest.cpp
void add_up_command(CLI::App& app, Context& context); // src/cli/cmd_up.cpp
void add_down_command(CLI::App& app, Context& context); // src/cli/cmd_down.cpp
void add_reset_command(CLI::App& app, Context& context); // src/cli/cmd_reset.cpp
void add_adopt_command(CLI::App& app, Context& context); // src/cli/cmd_adopt.cpp
void add_baseline_command(CLI::App& app, Context& context); // src/cli/cmd_baseline.cpp
void add_lint_command(CLI::App& app, Context& context); // src/cli/cmd_lint.cpp
// `pack` and `unpack` (src/cli/cmd_pack.cpp).
void add_pack_command(CLI::App& app, Context& context);
void add_schema_command(CLI::App& app, Context& context); // src/cli/cmd_schema.cpp
void add_drift_command(CLI::App& app, Context& context); // src/cli/cmd_drift.cpp

} // namespace vidb::cli
