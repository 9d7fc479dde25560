#pragma once

#include "db/connection.h"

namespace vidb::cli {

class Context;

// VIDB_SCHEMA_FILE set: after a migrate, revert or redo that succeeded, write `vidb schema
// dump` of the database there, so the reviewed schema file changes with each migration.
// Unset or empty: nothing. A failure to write is an error (exit 1): the migrations did
// run, and the message says so.
void write_schema_file_if_asked(Context& context, db::Connection& connection);

} // namespace vidb::cli
