#pragma once

#include "migrate/embedded.h"
#include "migrate/pack_payload.h"

#include <span>
#include <string>
#include <vector>

namespace vidb::migrate {

enum class SetSource { compiled_in, packed };

// The migrations this executable runs: compiled in by the build, or packed by `vidb pack`
// (ARCHITECTURE.md, "Packed migrations"). Never both: a packed binary whose payload is
// missing or damaged refuses instead of falling back to what was compiled in.
struct CarriedSet {
    SetSource source = SetSource::compiled_in;
    std::span<const EmbeddedFile> files;
    std::string digest; // source_set_digest(): equal for a folder packed or compiled in
    PackInfo info; // packed only
    std::vector<RawSourceFile> raw; // packed only: the files as they were on disk
    std::vector<SourceFile> parsed; // packed only: what `files` points into
    std::vector<EmbeddedFile> entries; // packed only
};

// Loaded on first use (commands that need no migrations never read the payload).
// Throws Error (exit 1), "this vidb is damaged: ...", when the payload is missing or fails
// its checks; nothing has been sent to any database then.
const CarriedSet& carried_set();

// Parses PAYLOAD (already verified) into a set: parse_source_files(), the embedder's rules.
// Throws PayloadError or SourceFolderError.
void load_payload(std::string_view payload, CarriedSet& set);

std::string source_name(SetSource source); // "compiled-in" | "packed"

} // namespace vidb::migrate
