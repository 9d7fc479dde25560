#pragma once

#include "migrate/source_folder.h"
#include "migrate/source_layout.h"

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// What `vidb pack` appends to a copy of a vidb executable (ARCHITECTURE.md, "Packed
// migrations"):
//
//   <the base executable, its marker patched> <payload> <trailer, 64 bytes>
//
// The payload carries the folder's files as they were on disk (so `vidb unpack` gives the
// same bytes back) and is parsed at run time by parse_source_files(), the rules the
// build-time embedder uses. It is generic: a layout tag, then relative paths and bytes.

// Who packed what, when: shown by `vidb version`.
struct PackInfo {
    // How parse_source_files() reads the files: "vidb" (the layout detected, as the
    // embedder does by default) or "vidb:<format>" when `pack --format` forced one.
    std::string layout = "vidb";
    std::string packed_at; // UTC, 2026-02-25T12:00:00Z
    std::string packed_from; // the folder's name (never a full path)
    std::string packed_by; // the vidb version that packed
};

struct Payload {
    PackInfo info;
    std::vector<RawSourceFile> files;
};

// A payload or trailer that is not what `vidb pack` writes.
class PayloadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The layout tag for a format, and back (nothing for a tag this vidb does not read).
std::string payload_layout_tag(SourceFormat format);
std::optional<SourceFormat> format_of_layout_tag(std::string_view tag);

using Sha256 = std::array<unsigned char, 32>;
Sha256 sha256_of(std::string_view bytes);
std::string hex(const Sha256& digest);

std::string encode_payload(const Payload& payload);
// Throws PayloadError. Paths must be NAME.sql or checks/NAME.sql (nothing that could
// write outside the folder `vidb unpack` fills).
Payload decode_payload(std::string_view bytes);

constexpr std::size_t k_trailer_size = 64;

struct Trailer {
    std::uint64_t payload_size = 0;
    Sha256 payload_sha256 {};
};

std::string encode_trailer(const Trailer& trailer);
// The last k_trailer_size bytes of a file: nullopt when they are no trailer at all (an
// executable without a payload), PayloadError when they are one of a version this vidb
// does not read.
std::optional<Trailer> decode_trailer(std::string_view last_bytes);

} // namespace vidb::migrate
