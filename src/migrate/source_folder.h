#pragma once

#include "common/error.h"
#include "migrate/embedded.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace vidb::migrate {

// One file of a migrations folder, validated and ready to embed or pack.
struct SourceFile {
    EmbeddedKind kind = EmbeddedKind::up;
    std::uint64_t version = 0; // 0 for checks
    std::string version_text;
    std::string name; // migration name, or the check's file stem
    std::string file_name; // relative to the folder: 0001_init.up.sql or checks/x.sql
    std::string text; // the file as written, CRLF normalised to LF
    std::string checksum; // hex SHA-256 of text
    bool no_transaction = false;
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
};

// A file of a migrations folder exactly as it is on disk (what `vidb pack` carries, so
// `vidb unpack` gives the same bytes back).
struct RawSourceFile {
    std::string relative_path; // 0001_init.up.sql, checks/x.sql
    std::string bytes;
};

// The .sql files of DIR and of DIR/checks, as they are. Throws SourceFolderError.
std::vector<RawSourceFile> read_raw_source_folder(const std::filesystem::path& dir);

// Validates files read by read_raw_source_folder() (or unpacked from a payload) and turns
// them into migrations and checks. ROOT only prefixes file names in messages.
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
