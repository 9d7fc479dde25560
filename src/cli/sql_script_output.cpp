#include "cli/sql_script_output.h"

#include "cli/context.h"
#include "common/error.h"

#include <fmt/format.h>

#include <cstdio>

namespace vidb::cli {

void print_sql_script(
    const std::string& command, const std::string& database, const migrate::SqlScript& script, std::size_t count)
{
    std::string text = fmt::format("-- vidb {} --dry-run --sql: the SQL vidb would send to database {}, in order "
                                   "({} migration{}).\n"
                                   "-- Run it with: psql -v ON_ERROR_STOP=1 -f FILE\n"
                                   "-- vidb also holds its migration lock (vidb_migration_lock) while it runs; this "
                                   "script takes none.\n",
        command, database, count, count == 1 ? "" : "s");
    text += script.text();
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void refuse_json_with_sql(Context& context)
{
    if (context.options.json) {
        throw UsageError("--sql prints a SQL script, not JSON: drop --json");
    }
}

} // namespace vidb::cli
