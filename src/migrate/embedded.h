#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vidb::migrate {

// repeatable: applied after the versioned migrations whenever its checksum changed
// (Flyway's R__<name>.sql, vidb's <name>.repeatable.sql); version 0.
enum class EmbeddedKind { up, down, check, repeatable };

// One file compiled into the executable by tools/embed_migrations.cpp. Its bytes are the
// file as written (CRLF normalised to LF); what to send is decided at run time (Catalog).
struct EmbeddedFile {
    EmbeddedKind kind;
    // The history key (MigrationVersion::key, as unsigned bits); 0 for checks. The
    // Catalog reads the version from version_text, which orders it.
    std::uint64_t version;
    const char* version_text; // as shown: "0001", "17.1"
    const char* name; // migration name, or the check's file stem
    const char* file_name; // as in the migrations folder, e.g. 0001_init.up.sql or checks/x.sql
    const unsigned char* data;
    std::size_t size;
    const char* checksum; // hex SHA-256 of data
    // The -- vidb:no-transaction directive as the embedder read it. The Catalog reads the
    // text again at run time (either one makes the file no-transaction).
    bool no_transaction;
    // A goose section: a no-transaction run sends it in goose's statements
    // (split_goose_statements(): a StatementBegin/End block is one), not the lexer's.
    bool goose_statements = false;
    // The line of the file that data starts at: a dbmate or goose section's marker line,
    // else 1. Line numbers shown to the user (lint) are the file's, not the section's.
    std::size_t first_line = 1;
};

// Defined in the generated source of the executable being linked.
std::span<const EmbeddedFile> embedded_files();

// Hex SHA-256 over every embedded file's name and checksum: equal digests, equal migrations.
const char* embedded_digest();

} // namespace vidb::migrate
