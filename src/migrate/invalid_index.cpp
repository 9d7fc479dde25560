#include "migrate/invalid_index.h"

#include <algorithm>

namespace vidb::migrate {

namespace {

// Indexes being built right now (by anyone) are invalid until they finish: not counted.
constexpr const char* k_invalid_indexes = "SELECT i.indexrelid::pg_catalog.text, pg_catalog.format('%I.%I', n.nspname, "
                                          "c.relname) FROM pg_catalog.pg_index i "
                                          "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
                                          "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                          "WHERE NOT i.indisvalid AND NOT EXISTS (SELECT 1 FROM "
                                          "pg_catalog.pg_stat_progress_create_index p WHERE p.index_relid = "
                                          "i.indexrelid)";

} // namespace

std::set<std::string> invalid_index_oids(db::Connection& connection)
{
    std::set<std::string> oids;
    const auto rows = connection.exec(k_invalid_indexes);
    for (int row = 0; row < rows.rows(); ++row) {
        oids.emplace(rows.get(row, 0));
    }
    return oids;
}

std::vector<std::string> new_invalid_indexes(db::Connection& connection, const std::set<std::string>& before)
{
    std::vector<std::string> names;
    const auto rows = connection.exec(std::string(k_invalid_indexes) + " ORDER BY 2");
    for (int row = 0; row < rows.rows(); ++row) {
        if (before.count(std::string(rows.get(row, 0))) == 0) {
            names.emplace_back(rows.get(row, 1));
        }
    }
    return names;
}

std::vector<std::string> still_invalid(
    db::Connection& connection, const std::vector<std::string>& names, const std::optional<CreatedIndex>& created)
{
    std::vector<std::string> found;
    const std::string base = std::string(k_invalid_indexes) + " AND ";
    for (const auto& name : names) {
        const auto rows = connection.exec_params(base + "i.indexrelid = pg_catalog.to_regclass($1)", { name });
        for (int row = 0; row < rows.rows(); ++row) {
            found.emplace_back(rows.get(row, 1));
        }
    }
    if (created) {
        // An index lives in its table's schema, whatever search_path says.
        const auto rows = connection.exec_params(base
                + "c.relname = $1 AND c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class "
                  "WHERE oid = pg_catalog.to_regclass($2))",
            { created->name, created->table });
        for (int row = 0; row < rows.rows(); ++row) {
            const std::string name(rows.get(row, 1));
            if (std::find(found.begin(), found.end(), name) == found.end()) {
                found.push_back(name);
            }
        }
    }
    return found;
}

std::string drop_statement(const std::string& qualified_name)
{
    return "DROP INDEX CONCURRENTLY " + qualified_name + ";";
}

} // namespace vidb::migrate
