#pragma once

#include "migrate/embedded.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// One migration as compiled into this binary.
struct Migration {
    std::uint64_t version = 0;
    std::string_view version_text;
    std::string_view name;
    std::string_view up_file;
    std::string_view up_sql;
    std::string_view checksum; // of the up SQL
    bool up_no_transaction = false;
    bool has_down = false;
    std::string_view down_file;
    std::string_view down_sql;
    bool down_no_transaction = false;
};

// A project check from checks/*.sql.
struct Check {
    std::string_view name;
    std::string_view file_name;
    std::string_view sql;
};

// The embedded migrations in version order, and the project checks.
class Catalog {
public:
    static Catalog from_files(std::span<const EmbeddedFile> files);
    static const Catalog& embedded();

    const std::vector<Migration>& migrations() const { return m_migrations; }
    const std::vector<Check>& checks() const { return m_checks; }
    const Migration* find(std::uint64_t version) const;

private:
    std::vector<Migration> m_migrations;
    std::vector<Check> m_checks;
};

} // namespace vidb::migrate
