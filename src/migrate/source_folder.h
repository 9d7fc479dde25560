#pragma once

#include "common/error.h"
#include "migrate/embedded.h"
#include "migrate/migration_version.h"
#include "migrate/source_layout.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace vidb::migrate {

// One file of a migrations folder, validated and ready to embed or pack.
struct SourceFile {
    EmbeddedKind kind = EmbeddedKind::up;
    MigrationVersion version; // 0 for checks and repeatables
    std::string version_text; // version.text(): as the user sees it ("0001", "17.1")
    std::string name; // migration name, or the check's file stem
    std::string file_name; // relative to the folder: 0001_init.up.sql or checks/x.sql
    std::string text; // the file as written, CRLF normalised to LF (or one section of it, see below)
    std::string checksum; // hex SHA-256 of text
    bool no_transaction = false;
    // One-file layouts (dbmate, goose): "up" or "down", the section of file_name this is;
    // text is that section from its marker line up to the next marker (or the end), so
    // the checksum (what `status` compares for drift) covers that section only. Empty for
    // whole files. The embedder stores a section's bytes as <file_name>.<section>.
    std::string section;
    std::size_t first_line = 1; // of text in the file (messages)
    bool goose_statements = false; // a goose section (EmbeddedFile::goose_statements)
};

// A folder that cannot be embedded: the message starts with the file (and line) at fault.
class SourceFolderError : public Error {
public:
    explicit SourceFolderError(const std::string& message)
        : Error(ExitCode::failure, message)
    {
    }
};

struct SourceFolderOptions {
    // Run check_migration_source() on every migration (transaction control, COPY, psql
    // meta-commands, directives). Off only for test fixtures that prove the run-time check.
    bool source_checks = true;
    // The folder's layout; auto_detect reads it from the file names and markers
    // (CMake -DVIDB_MIGRATIONS_FORMAT=..., vidb_embed --format ...).
    SourceFormat format = SourceFormat::auto_detect;
    // Called with one line per file that is skipped (a .sql file that is no migration of
    // the layout); nothing is reported when empty.
    std::function<void(const std::string&)> warn;
};

// A file of a migrations folder exactly as it is on disk (what `vidb pack` carries, so
// `vidb unpack` gives the same bytes back).
struct RawSourceFile {
    std::string relative_path; // 0001_init.up.sql, checks/x.sql
    std::string bytes;
};

// The .sql files of DIR and of DIR/checks, as they are. Throws SourceFolderError.
std::vector<RawSourceFile> read_raw_source_folder(const std::filesystem::path& dir);

// The layout parse_source_files() would detect for these files (golang-migrate, i.e.
// vidb's own up/down pairs, when nothing tells). Throws SourceFolderError on a folder that
// mixes layouts.
SourceFormat detect_folder_format(std::span<const RawSourceFile> files, const std::string& root);

// Validates files read by read_raw_source_folder() (or unpacked from a payload) and turns
// them into migrations and checks. ROOT only prefixes file names in messages. Layouts:
// vidb's and golang-migrate's up/down files, dbmate's and goose's one file with two
// sections (one SourceFile per section), Flyway's V/U files, detected unless
// options.format says which; repeatable migrations (Flyway's R__<name>.sql, elsewhere
// <name>.repeatable.sql) in every layout. Order: migrations, repeatables, checks.
std::vector<SourceFile> parse_source_files(
    std::span<const RawSourceFile> files, const std::string& root, const SourceFolderOptions& options = {});

// read_raw_source_folder() + parse_source_files(): reads and validates a migrations folder (<version>_<name>.up.sql /
// .down.sql and checks/*.sql): names, duplicate versions, a down without an up, BOM, invalid UTF-8, CRLF normalisation,
// checksums and the no-transaction directive. The one set of rules used by the build-time embedder and by `vidb pack`.
// Throws SourceFolderError. Order: migration files by file name, then checks by file name.
std::vector<SourceFile> read_source_folder(const std::filesystem::path& dir, const SourceFolderOptions& options = {});

// Hex SHA-256 over every file's name and checksum: equal digests, equal migration sets.
std::string source_set_digest(std::span<const SourceFile> files);

} // namespace vidb::migrate
