#include "cli/change_options.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "migrate/catalog.h"
#include "migrate/planner.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace vidb::cli {

void add_list_command(CLI::App& app, Context& context)
{
    auto* command = app.add_subcommand("list", "List the migrations embedded in this binary");
    command->callback([&context] {
        const auto& out = context.out();
        const auto& catalog = migrate::Catalog::embedded();
        if (out.json()) {
            out.document(list_json(catalog));
            return;
        }
        for (const auto& m : catalog.migrations()) {
            std::string flags;
            if (!m.has_down) {
                flags += "  irreversible";
            }
            if (m.up_no_transaction) {
                flags += "  no-transaction";
            }
            out.result(fmt::format(
                "{}  {}{}", out.paint(std::string(m.checksum.substr(0, 12)), Tone::dim), migrate::label(m), flags));
        }
        for (const auto& r : catalog.repeatables()) {
            out.result(fmt::format(
                "{}  R__{}  repeatable", out.paint(std::string(r.checksum.substr(0, 12)), Tone::dim), r.name));
        }
        out.progress(fmt::format("{} migrations, {} checks{}", catalog.migrations().size(), catalog.checks().size(),
            catalog.repeatables().empty() ? "" : fmt::format(", {} repeatable", catalog.repeatables().size())));
    });
}

void add_show_command(CLI::App& app, Context& context)
{
    struct ShowOptions {
        std::string version;
        bool down = false;
    };
    auto options = std::make_shared<ShowOptions>();
    auto* command = app.add_subcommand("show", "Print one embedded migration's SQL");
    command->add_option("VERSION", options->version, "The migration's version")->required();
    command->add_flag("--down", options->down, "Print the down migration instead");
    command->callback([&context, options] {
        const auto version = parse_version_argument(options->version, "VERSION");
        const auto* migration = migrate::Catalog::embedded().find(version);
        if (migration == nullptr) {
            throw UsageError("no migration " + options->version + " in this binary (see vidb list)");
        }
        if (options->down && !migration->has_down) {
            throw Error(ExitCode::failure, migrate::label(*migration) + " is irreversible: it has no down migration");
        }
        if (context.out().json()) {
            context.out().document(show_json(*migration, options->down));
            return;
        }
        const std::string_view sql = options->down ? migration->down_sql : migration->up_sql;
        std::fwrite(sql.data(), 1, sql.size(), stdout);
        if (!sql.empty() && sql.back() != '\n') {
            std::fputc('\n', stdout);
        }
    });
}

} // namespace vidb::cli
