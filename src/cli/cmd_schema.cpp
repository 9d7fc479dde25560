#include "cli/commands.h"
#include "cli/context.h"
#include "common/error.h"
#include "schema/dump.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace vidb::cli {

namespace {

struct DumpOptions {
    std::string output;
    std::string schema;
    bool include_vidb_tables = false;
};

void run_dump(Context& context, const DumpOptions& options)
{
    if (context.options.json) {
        throw UsageError("schema dump writes SQL, not JSON: drop --json");
    }
    auto connection = context.connect();
    if (!options.schema.empty()
        && connection
               .exec_params("SELECT pg_catalog.to_regnamespace(pg_catalog.quote_ident($1)) IS NULL", { options.schema })
               .get_bool(0, 0)) {
        throw UsageError(
            fmt::format("--schema {}: no such schema in database {}", options.schema, connection.database()),
            { "give the schema's name as it is spelled in the catalog (case matters), or leave --schema out" });
    }
    const std::string text = schema::dump_schema(connection, { options.schema, options.include_vidb_tables });
    if (options.output.empty() || options.output == "-") {
        // As read: masking a secret that happens to equal a name would break the SQL.
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
        return;
    }
    schema::write_file_atomically(options.output, text);
    context.out().progress(
        fmt::format("Wrote the schema of database {} to {}.", connection.database(), options.output));
}

} // namespace

void add_schema_command(CLI::App& app, Context& context)
{
    auto* command = app.add_subcommand("schema", "Read the database's schema");
    command->require_subcommand(1);
    auto options = std::make_shared<DumpOptions>();
    auto* dump = command->add_subcommand(
        "dump", "Print the schema as SQL that loads into an empty database (deterministic; no pg_dump)");
    dump->add_option("-o,--output", options->output, "Write to this file instead of stdout");
    dump->add_option("--schema", options->schema, "Only this schema (default: all but the system schemas)");
    dump->add_flag("--include-vidb-tables", options->include_vidb_tables,
        "Also vidb's own tables (vidb_schema_migrations, vidb_migration_progress, vidb_migration_lock)");
    dump->callback([&context, options] { run_dump(context, *options); });
}

} // namespace vidb::cli
