#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vidb::migrate {

enum class Direction { up, down };

// A parsed `<version>_<name>.up.sql` / `.down.sql` file name (golang-migrate's layout).
struct FileName {
    std::uint64_t version = 0;
    std::string version_text; // as written, to keep the project's zero padding
    std::string name;
    Direction direction = Direction::up;
};

// The parse result, or why the name is not a migration file name.
struct FileNameParse {
    std::optional<FileName> value;
    std::string error;
};

FileNameParse parse_file_name(std::string_view file_name);

// True for characters allowed in a migration's name part (also used by `vidb new`).
bool is_valid_name_char(char c);

} // namespace vidb::migrate
