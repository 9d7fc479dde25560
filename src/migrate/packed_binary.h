#pragma once

#include "migrate/pack_payload.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace vidb::migrate {

// Every vidb carries a 64-byte marker in its writable data (which `strip` keeps): a magic,
// a state and the SHA-256 of the payload `vidb pack` appended. `vidb pack` patches the
// marker of the copy it writes, so a packed binary knows it was packed even when its
// payload is gone (stripped, truncated, appended to) and then refuses to run instead of
// falling back to the migrations compiled into it.
struct MarkerState {
    bool packed = false;
    Sha256 payload_sha256 {};
};

// This process's marker.
MarkerState running_marker();

// The path of the running executable: /proc/self/exe, else the path it was started by
// (an empty chroot has no /proc).
std::filesystem::path running_executable();

// A vidb executable on disk split into its base part (what a pack copies) and its payload.
struct VidbImage {
    std::string base; // the executable without any payload
    std::size_t marker_offset = 0; // of the marker inside base
    bool packed = false;
    std::string payload; // verified; empty unless packed
};

// Reads PATH as a base for `vidb pack` (or for `vidb unpack`). Throws Error (exit 1): not
// a vidb executable, or a packed one whose payload is damaged (WHAT names it in messages).
VidbImage read_vidb_image(const std::filesystem::path& path, const std::string& what);

// Checks a packed executable's payload: TRAILER as read from its last bytes (nullopt if
// there was none), the payload before it, the file's size and the marker's digest.
// Returns a description of the damage, or "" when intact.
std::string payload_damage(const std::optional<Trailer>& trailer, std::uint64_t file_size);
std::string payload_damage(std::string_view payload, const Trailer& trailer, const Sha256& expected);

// BASE with its marker patched to "packed with PAYLOAD", then PAYLOAD and its trailer.
std::string packed_executable(const VidbImage& base, const std::string& payload);

// Writes BYTES to PATH atomically (a temporary file in the same folder, then rename)
// with MODE. Throws Error (exit 1) naming PATH and what to do.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, unsigned mode);

} // namespace vidb::migrate
