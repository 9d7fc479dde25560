#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vidb::migrate {

// What a migration statement says about indexes, read from its text (no database):
// used to look for the INVALID index a failed concurrent build leaves (invalid_index.h).

// Only a statement that mentions INDEX can leave one (CONCURRENTLY cannot run inside a
// function or DO block), so only those pay for the catalog lookups.
bool may_leave_invalid_index(std::string_view statement);

// The index a `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table`
// statement names: its name (case-folded as the server does) and its table as written.
struct CreatedIndex {
    std::string name;
    std::string table;
};
std::optional<CreatedIndex> created_index(std::string_view statement);

} // namespace vidb::migrate
