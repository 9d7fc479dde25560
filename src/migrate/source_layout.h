#pragma once

#include "migrate/sql_lexer.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// The layout of a migrations folder: vidb's own, or another tool's read as it is.
enum class SourceFormat {
    auto_detect, // decided from the file names and markers (detect_source_format)
    vidb, // <version>_<name>.up.sql / .down.sql, strict names; any other .sql file is an error
    golang_migrate, // the same layout with golang-migrate's names; other .sql files skipped with a warning
    dbmate, // <version>...sql with -- migrate:up / -- migrate:down sections
    goose, // <version>_<name>.sql with -- +goose Up / -- +goose Down sections
    flyway, // V<version>__<description>.sql, U<version>__ undo files as downs (integer versions only)
};

// "auto", "vidb", "golang-migrate", "dbmate", "goose", "flyway"; nothing for another word.
std::optional<SourceFormat> parse_source_format(std::string_view word);
const char* source_format_name(SourceFormat format);

// Why one file cannot be read in its layout, at a line (0: the file as a whole).
struct LayoutProblem {
    std::size_t line = 0;
    std::string message;
};

// One section of a one-file migration (dbmate, goose): its text exactly as in the file,
// from its marker line to the line before the next marker (or the end).
struct Section {
    std::string text;
    std::size_t first_line = 1; // of the marker line, in the file
    bool no_transaction = false;
};

struct SplitFile {
    Section up;
    std::optional<Section> down;
    std::optional<LayoutProblem> problem; // set: the sections are not valid
};

// True when a line of the (LF-normalised) text is the marker of that layout's up section:
// `-- migrate:up` (dbmate), `-- +goose Up` in any case (goose). Used to detect layouts.
bool has_dbmate_up_marker(std::string_view text);
bool has_goose_up_marker(std::string_view text);

// dbmate: `-- migrate:up [transaction:false]`, optional `-- migrate:down [transaction:false]`
// after it, nothing but comments and blank lines before the up marker. Options other than
// transaction:true|false, and markers dbmate has that vidb does not read
// (`-- migrate:up-section` ...), are refused by name.
SplitFile split_dbmate(std::string_view text);

// goose: `-- +goose Up`, optional `-- +goose Down` after it, `StatementBegin` /
// `StatementEnd` pairs inside a section, `NO TRANSACTION` anywhere (for the whole file).
// Annotations are case-insensitive, as goose reads them; `ENVSUB ON|OFF` and unknown
// annotations are refused by name (vidb does not substitute environment variables).
SplitFile split_goose(std::string_view text);

// The statements of one goose section (split_goose()) as goose sends them, each one Exec,
// i.e. one simple-query message: a StatementBegin/StatementEnd block is one statement
// whatever it holds (PostgreSQL runs its statements as one implicit transaction), and
// outside blocks a statement ends at a line whose last word before any `--` comment ends
// with `;` (goose's endsWithSemicolon), so `SELECT 1; SELECT 2;` on one line is one. Unlike
// goose, a `;` that vidb's lexer sees inside a quoted string, a comment or a routine body
// ends nothing (goose would send half a statement), and text after the last `;` is a last
// statement (goose refuses the file). Same contract as split_statements(): the pieces are
// contiguous and cover the text; annotation lines stay in them as the comments they are.
std::vector<Statement> split_goose_statements(std::string_view section);

// A migration file name of the one-file layouts: leading digits are the version (as
// dbmate and goose read it), then `_` (goose requires it; dbmate allows anything), the
// name, `.sql`. Nothing when the name does not start with a digit or does not fit bigint.
struct OneFileName {
    std::uint64_t version = 0;
    std::string version_text;
    std::string name;
};
std::optional<OneFileName> parse_one_file_name(std::string_view file_name, bool require_underscore);

// golang-migrate's `^([0-9]+)_(.*)\.(up|down)\.sql$`: any name (spaces, non-ASCII
// letters) except control characters. Returns {version, version_text, name} and whether
// it is the up file, or nothing.
struct UpDownName {
    std::uint64_t version = 0;
    std::string version_text;
    std::string name;
    bool up = true;
};
std::optional<UpDownName> parse_golang_migrate_name(std::string_view file_name);

// Flyway's names: `V<version>__<description>.sql` (versioned), `U<version>__…` (undo),
// `R__<description>.sql` (repeatable). The version as written (digits, '.' or '_'
// separators); `version` is set when it is one integer that fits bigint.
struct FlywayName {
    char prefix = 'V'; // V, U or R
    std::string version_text;
    std::optional<std::uint64_t> version;
    std::string description;
};
std::optional<FlywayName> parse_flyway_name(std::string_view file_name);

// The first statement of the text that PostgreSQL refuses inside a transaction block
// (CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, REINDEX DATABASE|SYSTEM,
// VACUUM, CREATE/DROP DATABASE, CREATE/DROP TABLESPACE, ALTER SYSTEM, DISCARD ALL,
// CREATE/DROP SUBSCRIPTION), as "<words> at line N"; nothing when there is none. Flyway
// runs such a file outside a transaction on its own; vidb does the same for Flyway files.
std::optional<std::string> statement_refused_in_transaction(std::string_view text);

// Flyway's checksum of a SQL migration (flyway-core ChecksumCalculator): CRC-32 over the
// file's lines without their terminators (\n, \r\n, \r), a leading BOM dropped, as a
// signed 32-bit integer (what flyway_schema_history.checksum holds).
std::int32_t flyway_checksum(std::string_view text);

} // namespace vidb::migrate
