#pragma once

#include "db/connection.h"
#include "migrate/objects.h"

#include <string>
#include <vector>

namespace vidb::schema {

// The catalog reader lives in migrate (selftest --roundtrip reads the catalog with it too).
using migrate::ReadOptions;
using migrate::SchemaObject;

// The text of `vidb schema dump`: a header that makes psql read it as written (no
// function body checks, an empty search_path), then one statement per object with a
// blank line between. The same objects give the same bytes.
std::string render_dump(const std::vector<SchemaObject>& objects);

// read_schema() and render_dump() in one.
std::string dump_schema(db::Connection& connection, const ReadOptions& options);

// Writes `text` to `path` through a temporary file in the same folder and a rename, so a
// reader never sees half a file. Throws Error (exit 1) naming the path.
void write_file_atomically(const std::string& path, const std::string& text);

} // namespace vidb::schema
