#include "lint/tree.h"

#include <algorithm>

namespace vidb::lint {

namespace {

const Tree& empty_array()
{
    static const Tree k_empty = Tree::array();
    return k_empty;
}

} // namespace

const Tree* field(const Tree& node, const char* key)
{
    if (!node.is_object()) {
        return nullptr;
    }
    const auto it = node.find(key);
    return it == node.end() ? nullptr : &*it;
}

std::string text(const Tree& node, const char* key)
{
    const Tree* value = field(node, key);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool flag(const Tree& node, const char* key)
{
    const Tree* value = field(node, key);
    return value != nullptr && value->is_boolean() && value->get<bool>();
}

const Tree& list(const Tree& node, const char* key)
{
    const Tree* value = field(node, key);
    return value != nullptr && value->is_array() ? *value : empty_array();
}

// {"Type": {...}} -> Type; "" for anything else.
std::string node_type(const Tree& node)
{
    return node.is_object() && node.size() == 1 ? node.begin().key() : std::string();
}

// The body of {"Type": {...}}, or the node itself when it is not wrapped.
const Tree& body(const Tree& node)
{
    return node.is_object() && node.size() == 1 && node.begin()->is_object() ? *node.begin() : node;
}

// "relname" of a RangeVar, wrapped or not.
std::string relation_name(const Tree* node)
{
    return node == nullptr ? std::string() : text(body(*node), "relname");
}

// Last element of a list of String nodes: a type or function name without its schema.
std::string last_name(const Tree& names)
{
    if (!names.is_array() || names.empty()) {
        return {};
    }
    return text(body(names.back()), "sval");
}

std::string type_name(const Tree& column)
{
    const Tree* type = field(column, "typeName");
    return type == nullptr ? std::string() : last_name(list(*type, "names"));
}

bool has_typmods(const Tree& column)
{
    const Tree* type = field(column, "typeName");
    return type != nullptr && !list(*type, "typmods").empty();
}

// Whether a string constant equal to `value` appears anywhere in the tree.
bool uses_string_constant(const Tree& node, const std::string& value)
{
    if (node.is_object()) {
        if (const Tree* constant = field(node, "A_Const")) {
            const Tree* sval = field(*constant, "sval");
            if (sval != nullptr && text(*sval, "sval") == value) {
                return true;
            }
        }
        return std::any_of(
            node.begin(), node.end(), [&](const Tree& item) { return uses_string_constant(item, value); });
    }
    if (node.is_array()) {
        return std::any_of(
            node.begin(), node.end(), [&](const Tree& item) { return uses_string_constant(item, value); });
    }
    return false;
}

} // namespace vidb::lint
