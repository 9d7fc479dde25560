#include "cli/schema_file.h"

#include "cli/context.h"
#include "common/error.h"
#include "schema/dump.h"

#include <fmt/format.h>

namespace vidb::cli {

void write_schema_file_if_asked(Context& context, db::Connection& connection)
{
    const std::string path = context.env().get_or("VIDB_SCHEMA_FILE", "");
    if (path.empty()) {
        return;
    }
    try {
        schema::write_file_atomically(path, schema::dump_schema(connection, {}));
    } catch (const Error& error) {
        auto details = error.details();
        details.push_back("the migrations themselves ran; run vidb schema dump -o " + path + " to write it again");
        throw Error(ExitCode::failure, std::string(error.what()) + " (VIDB_SCHEMA_FILE)", details);
    }
    context.out().progress(fmt::format("Wrote the schema to {} (VIDB_SCHEMA_FILE).", path));
}

} // namespace vidb::cli
