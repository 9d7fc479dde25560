#pragma once

#include "migrate/embedded.h"
#include "migrate/file_name.h"
#include "migrate/migration_version.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// One migration as compiled into this binary.
struct Migration {
    MigrationVersion version;
    std::string_view version_text; // version.text()
    std::string_view name;
    std::string_view up_file;
    std::string_view up_sql; // the file as written (shown, checksummed, error positions)
    std::size_t up_first_line = 1; // the line of up_file that up_sql starts at (EmbeddedFile::first_line)
    // What is sent: up_sql with pg_dump's \restrict lines and an outer BEGIN;/COMMIT; pair
    // blanked (same length and positions; see source_check.h). Equal to up_sql otherwise.
    std::string_view up_run_sql;
    std::string_view checksum; // of the up SQL
    bool up_no_transaction = false;
    bool up_goose_statements = false; // a goose section: see executable_statements()
    // "file:line: what and the fix" when the up file must not run (see source_check.h).
    std::string up_problem;
    bool has_down = false;
    std::string_view down_file;
    std::string_view down_sql;
    std::size_t down_first_line = 1; // as up_first_line (a dbmate or goose down section)
    std::string_view down_run_sql;
    std::string_view down_checksum; // of the down SQL, as the embedder computed it
    bool down_no_transaction = false;
    bool down_goose_statements = false;
    std::string down_problem;
};

// A repeatable migration: applied after the versioned ones whenever its checksum differs
// from the one vidb_repeatable_migrations records (see repeatable.h).
struct Repeatable {
    std::string_view name;
    std::string_view file_name;
    std::string_view sql; // the file as written
    std::string_view run_sql; // what is sent (see Migration::up_run_sql)
    std::string_view checksum;
    std::string problem; // "file:line: what and the fix" when it must not run
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
    // What this binary carries: compiled in, or packed (carried_set(); throws Error when
    // a packed binary is damaged).
    static const Catalog& embedded();

    const std::vector<Migration>& migrations() const { return m_migrations; }
    const std::vector<Check>& checks() const { return m_checks; }
    const std::vector<Repeatable>& repeatables() const { return m_repeatables; } // in name order
    const Migration* find(const MigrationVersion& version) const;

private:
    std::vector<Migration> m_migrations;
    std::vector<Check> m_checks;
    std::vector<Repeatable> m_repeatables;
    std::vector<std::shared_ptr<const std::string>> m_run_texts; // run SQL that differs from the file
};

// Refuses (RefusedError, exit 4) to run these migrations in that direction when one of
// their files has a problem, before anything is changed. The embedder fails the build on
// the same problems; this guards binaries whose files it did not check.
void refuse_unrunnable(std::span<const Migration* const> migrations, Direction direction);

} // namespace vidb::migrate
