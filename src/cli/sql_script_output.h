#pragma once

#include "migrate/sql_script.h"

#include <string>

namespace vidb::cli {

class Context;

// Prints a --dry-run --sql script on stdout, after a header saying what it is and how to
// run it. As built: masking a secret that happens to equal a word of it would change the SQL.
void print_sql_script(
    const std::string& command, const std::string& database, const migrate::SqlScript& script, std::size_t count);

// --sql: a script, not a report; --json has no place beside it.
void refuse_json_with_sql(Context& context);

} // namespace vidb::cli
