#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::lint {

// One statement of a migration as PostgreSQL's own grammar (libpg_query) reads it.
struct ParsedStatement {
    std::size_t offset = 0; // byte offset of its first token in the file
    std::size_t end = 0; // byte offset just past it (its ';' not included)
    // libpg_query's JSON node under "stmt", e.g. {"IndexStmt": {...}}; null when the
    // grammar did not understand the statement.
    nlohmann::json tree;
    // Added to every "location" inside `tree` to give a byte offset in the file (the
    // statement was parsed on its own when another one in the file did not parse).
    std::size_t base = 0;
    std::string error; // the parser's message when `tree` is null
};

// The file's statements in order. Never throws on bad SQL: a statement the grammar
// rejects (syntax newer than PostgreSQL 15's, or plain wrong) comes back with an error,
// and the others are still parsed.
std::vector<ParsedStatement> parse_statements(std::string_view sql);

} // namespace vidb::lint
