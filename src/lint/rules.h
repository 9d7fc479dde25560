#pragma once

#include "lint/finding.h"

#include <span>
#include <string_view>

namespace vidb::lint {

// One rule of `vidb lint`: its name is stable (waivers and CI configurations name it).
struct Rule {
    std::string_view name;
    Severity severity;
    std::string_view lock; // what it takes on the table, for the manual's rule table
    std::string_view safe; // the safe alternative, one line
};

// Every rule, in the order of MIGRATIONS.md's table.
std::span<const Rule> rules();
// nullptr for an unknown name.
const Rule* find_rule(std::string_view name);

} // namespace vidb::lint
