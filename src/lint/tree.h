#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace vidb::lint {

// libpg_query's parse trees as nlohmann-json reads them: {"NodeType": {"field": ...}}.
// Readers that never throw: a missing or mistyped field reads as empty.
using Tree = nlohmann::json;

// The field of an object node; nullptr when absent (or not an object).
const Tree* field(const Tree& node, const char* key);
// A string field; "" when absent.
std::string text(const Tree& node, const char* key);
// A boolean field; false when absent (libpg_query leaves false fields out).
bool flag(const Tree& node, const char* key);
// An array field; an empty array when absent.
const Tree& list(const Tree& node, const char* key);
// {"Type": {...}} -> Type; "" for anything else.
std::string node_type(const Tree& node);
// The body of {"Type": {...}}, or the node itself when it is not wrapped.
const Tree& body(const Tree& node);
// "relname" of a RangeVar, wrapped or not.
std::string relation_name(const Tree* node);
// Last element of a list of String nodes: a type or function name without its schema.
std::string last_name(const Tree& names);
// A ColumnDef's type name ("int4", "varchar", "timestamp") and whether it has modifiers (n).
std::string type_name(const Tree& column);
bool has_typmods(const Tree& column);
// Whether a string constant equal to `value` appears anywhere in the tree.
bool uses_string_constant(const Tree& node, const std::string& value);

} // namespace vidb::lint
