#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "migrate/planner.h"
#include "schema/drift.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace vidb::cli {

namespace {

// "    " before every line of a definition.
std::string indented(const std::string& sql, const std::string& prefix)
{
    std::string out = prefix;
    for (const char c : sql) {
        out += c;
        if (c == '\n') {
            out += prefix;
        }
    }
    return out;
}

void print_items(const Output& out, const char* heading, const std::vector<schema::DriftItem>& items)
{
    if (items.empty()) {
        return;
    }
    out.result(out.paint(heading, Tone::bold));
    for (const auto& item : items) {
        out.result(fmt::format("  {} {}", item.kind, item.name));
        if (!item.database.empty() && !item.migrations.empty()) {
            out.result(indented(item.database, "      database:   "));
            out.result(indented(item.migrations, "      migrations: "));
        } else {
            out.result(indented(item.database.empty() ? item.migrations : item.database, "      "));
        }
    }
}

void run_drift(Context& context)
{
    auto connection = context.connect();
    const auto& catalog = migrate::Catalog::embedded();
    const auto report = schema::check_drift(connection, context.conninfo(), catalog, context.schema());
    const auto& out = context.out();
    context.exit_code = report.matches() ? 0 : 1;
    const bool one = report.migrations_applied == 1;
    const std::string built = fmt::format(
        "what its {} applied migration{} build{}", report.migrations_applied, one ? "" : "s", one ? "s" : "");
    if (!report.history_table) {
        out.warning(fmt::format("database {} has no {}: compared with what no migration builds (is --schema / "
                                "VIDB_SCHEMA where vidb keeps its history there?)",
            connection.database(), report.history_where));
    }
    if (!report.not_applied.empty()) {
        std::string versions;
        for (const auto& version : report.not_applied) {
            versions += (versions.empty() ? "" : ", ") + migrate::format_version(catalog, version);
        }
        out.warning(fmt::format("{} migration{} this binary carries {} not applied to the database and {} left out "
                                "of the comparison: {}",
            report.not_applied.size(), report.not_applied.size() == 1 ? "" : "s",
            report.not_applied.size() == 1 ? "is" : "are", report.not_applied.size() == 1 ? "is" : "are", versions));
    }
    if (out.json()) {
        out.document(drift_json(report, connection.database()));
        return;
    }
    if (report.matches()) {
        out.result(fmt::format("{} database {} matches {} ({} objects compared).", out.paint("No drift:", Tone::good),
            connection.database(), built, report.compared));
        return;
    }
    const std::size_t count
        = report.only_in_database.size() + report.only_in_migrations.size() + report.different.size();
    out.result(fmt::format("{} database {} differs from {} ({} difference{}):", out.paint("Drift:", Tone::bad),
        connection.database(), built, count, count == 1 ? "" : "s"));
    print_items(out, "Only in the database (made by hand?):", report.only_in_database);
    print_items(out, "Only in the migrations (dropped or changed by hand?):", report.only_in_migrations);
    print_items(out, "Different:", report.different);
}

} // namespace

void add_drift_command(CLI::App& app, Context& context)
{
    auto* command = app.add_subcommand("drift",
        "Compare the database with what its migrations build (in a scratch database); exit 1 when they differ");
    command->callback([&context] { run_drift(context); });
}

} // namespace vidb::cli
