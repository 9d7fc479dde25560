#pragma once

#include "lint/finding.h"
#include "lint/linter.h"
#include "migrate/source_folder.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vidb::lint {

// One migration file to lint.
struct LintInput {
    std::string file; // as shown in findings
    std::string sql; // the text vidb would send (pg_dump's \restrict lines blanked), same positions as the file
    bool no_transaction = false;
    migrate::MigrationVersion version; // 0 when the name carries none (a loose file): never skipped by --since
    // The build-time source check's problems (transaction control, COPY, psql meta-commands):
    // reported as `source-check` findings, since the file cannot run as written.
    std::vector<std::pair<std::size_t, std::string>> problems;
};

struct LintRun {
    std::vector<std::string> files; // linted, in order
    std::vector<Finding> findings; // by file, then position
};

// A migration file (LF-normalised text) as vidb would run it: no-transaction directive,
// source-check problems and the text to send come from check_migration_source().
LintInput make_input(std::string file, migrate::MigrationVersion version, std::string_view text);
// One up migration that may be a section of its file: text starting at line `first_line`
// of it (a dbmate or goose section) keeps the line numbers it has in the file, and the
// layout's own no-transaction marker (dbmate transaction:false, goose NO TRANSACTION, a
// Flyway statement that cannot run in a transaction) counts like the directive. For a
// folder's file and for the embedded or packed set alike.
LintInput make_input(std::string file, migrate::MigrationVersion version, std::string_view text, std::size_t first_line,
    bool layout_no_transaction);
// A file of a migrations folder as parse_source_files() made it (the above).
LintInput make_input(const migrate::SourceFile& file, std::string shown);

// The up migrations of folders (any layout read_raw_source_folder() reads; names shown
// as PATH/file) and single files (linted as one migration whatever their name). Throws
// vidb::Error (exit 1) naming the path when it cannot be read or a folder's names are wrong.
std::vector<LintInput> inputs_from_paths(std::span<const std::string> paths);

// Lints every input newer than `since` (all when nullopt).
LintRun lint_inputs(
    std::span<const LintInput> inputs, std::optional<migrate::MigrationVersion> since, const LintOptions& options = {});

} // namespace vidb::lint
