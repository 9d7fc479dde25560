#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vidb::migrate {

// One thing `schema dump` writes and `drift` compares: "kind name" identifies it, `sql`
// creates it. A table also lists its columns one by one (`parts`), so that drift can name
// the column that differs instead of the whole table.
struct SchemaObject {
    std::string kind; // "table", "index", "constraint", "grant", ...
    std::string name; // qualified and quoted as SQL spells it: public.t, "My Schema".x
    std::string sql; // the statement(s) that create it, ending in ";"
    std::vector<std::pair<std::string, std::string>> parts; // column name -> its definition

    std::string key() const { return kind + " " + name; }
};

struct ReadOptions {
    std::string only_schema; // "": every schema but the system ones
    bool include_vidb_tables = false; // vidb_schema_migrations, vidb_migration_progress, vidb_migration_lock
};

} // namespace vidb::migrate
