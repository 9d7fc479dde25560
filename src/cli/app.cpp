#include "cli/app.h"

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "cli/suggest.h"
#include "common/error.h"
#include "config/secrets.h"
#include "db/interrupt.h"
#include "migrate/catalog.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace vidb {

namespace cli {
void print_version(Context& context);
}

namespace {

void add_global_options(CLI::App& app, cli::GlobalOptions& options)
{
    app.add_option("--url", options.url, "Database URL or libpq connection string (default: DATABASE_URL, then .env)");
    app.add_option("--env-file", options.env_file, "Read variables from this file instead of ./.env");
    app.add_option(
        "--schema", options.schema, "Schema of vidb's history table (default: VIDB_SCHEMA, else the default schema)");
    app.add_flag("--json", options.json, "Machine-readable output");
    app.add_flag("-q,--quiet", options.quiet, "Print only errors, warnings and requested results");
    app.add_flag("--no-color", options.no_color, "No colours (also NO_COLOR)");
    app.add_flag("--wait", options.wait, "Wait for the database to accept connections first");
    app.add_option("--wait-timeout", options.wait_timeout, "How long --wait waits (default 60s)");
}

int report(const cli::Context& context, const Error& error)
{
    const cli::Output out(context.options.quiet, context.options.no_color, false);
    out.error(error.what());
    for (const auto& line : error.details()) {
        out.error_detail(line);
    }
    // With --json also a document on stdout: what was done before the failure, and why.
    if (context.options.json) {
        const cli::Output* done = context.existing_out();
        out.document(cli::error_json(
            error, done ? done->steps() : Json::array(), done ? done->changes() : std::vector<std::string> {}));
    }
    return error.exit_status();
}

} // namespace

int run(int argc, char** argv)
{
    db::install_interrupt_handlers();
    cli::Context context;
    // Known before parsing: a usage error gets the --json error document too.
    context.options.json
        = std::any_of(argv + 1, argv + argc, [](const char* arg) { return std::string_view(arg) == "--json"; });
    CLI::App app { "vidb: PostgreSQL migrations compiled into one executable", "vidb" };
    app.fallthrough(true);
    app.require_subcommand(0, 1);
    bool show_version = false;
    app.add_flag("--version", show_version, "Show version and build info");
    add_global_options(app, context.options);
    cli::add_migrate_command(app, context);
    cli::add_revert_command(app, context);
    cli::add_redo_command(app, context);
    cli::add_repair_command(app, context);
    cli::add_unlock_command(app, context);
    cli::add_status_command(app, context);
    cli::add_list_command(app, context);
    cli::add_show_command(app, context);
    cli::add_new_command(app, context);
    cli::add_ping_command(app, context);
    cli::add_wait_command(app, context);
    cli::add_version_command(app, context);
    cli::add_selftest_command(app, context);
    cli::add_up_command(app, context);
    cli::add_down_command(app, context);
    cli::add_reset_command(app, context);
    cli::add_schema_command(app, context);
    cli::add_drift_command(app, context);
    cli::add_adopt_command(app, context);
    cli::add_baseline_command(app, context);
    cli::add_lint_command(app, context);
    cli::add_pack_command(app, context);
    // Before any command runs: a packed vidb whose payload is damaged stops here, before
    // anything is sent to a database (carried_set.h).
    app.parse_complete_callback([&app] {
        const auto commands = app.get_subcommands();
        if (!commands.empty() && cli::needs_migrations(commands.front()->get_name())) {
            migrate::Catalog::embedded();
        }
    });
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp& help) {
            return app.exit(help);
        } catch (const CLI::CallForAllHelp& help) {
            return app.exit(help);
        } catch (const CLI::ParseError& error) {
            const std::string typo = cli::unknown_command(app, std::vector<std::string>(argv + 1, argv + argc));
            if (!typo.empty()) {
                std::vector<std::string> commands;
                for (const auto* command : app.get_subcommands({})) {
                    commands.push_back(command->get_name());
                }
                const std::string match = cli::closest_match(typo, commands);
                throw UsageError("unknown command '" + typo + "'"
                    + (match.empty() ? "; see vidb --help" : "; did you mean '" + match + "'?"));
            }
            throw UsageError(std::string(error.what()) + " (see vidb --help)");
        }
        if (app.get_subcommands().empty()) {
            if (show_version) {
                cli::print_version(context);
                return 0;
            }
            std::fputs(app.help().c_str(), stderr);
            if (context.options.json) {
                throw UsageError("no command given (see vidb --help)");
            }
            return static_cast<int>(ExitCode::usage);
        }
        return context.exit_code;
    } catch (const Error& error) {
        return report(context, error);
    } catch (const std::exception& error) {
        return report(context, Error(ExitCode::failure, std::string("unexpected error: ") + error.what()));
    }
}

} // namespace vidb
