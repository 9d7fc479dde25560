#include "migrate/packed_binary.h"

#include "common/error.h"

#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace fs = std::filesystem;

// The marker (see packed_binary.h). Volatile: the compiler must read it from memory, where
// the loader put the bytes of the file (patched by `vidb pack`), never fold the initial
// values in. Layout: magic [0, 24), state [24] (0 unpacked, 1 packed), reserved [25, 32),
// payload SHA-256 [32, 64). The magic exists nowhere else in the executable: the code
// that looks for it in a file copies it from here at run time.
extern "C" {
[[gnu::used]] volatile unsigned char vidb_pack_marker[64] = { 0x7f, 'V', 'I', 'D', 'B', '-', 'P', 'A', 'C', 'K', '-',
    'M', 'A', 'R', 'K', 'E', 'R', '-', 'v', '1', 0x01, 0x02, 0x03, 0x04 };
}

namespace vidb::migrate {

namespace {

constexpr std::size_t k_marker_size = sizeof(vidb_pack_marker);
constexpr std::size_t k_magic_size = 24;
constexpr std::size_t k_state_offset = 24;
constexpr std::size_t k_digest_offset = 32;

std::string marker_magic()
{
    std::string magic;
    for (std::size_t i = 0; i < k_magic_size; ++i) {
        magic.push_back(static_cast<char>(vidb_pack_marker[i]));
    }
    return magic;
}

std::string read_whole(const fs::path& path, const std::string& what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(ExitCode::failure,
            what + " cannot be read: " + (errno != 0 ? std::strerror(errno) : "cannot open") + " (" + path.string()
                + ")");
    }
    // One sized read: a vidb is 8 MB released and over 100 MB built with sanitizers, and
    // copying it through istreambuf_iterator, a byte at a time, took seconds.
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    std::string bytes(static_cast<std::size_t>(size > 0 ? size : 0), '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
        throw Error(ExitCode::failure, what + " cannot be read completely (" + path.string() + ")");
    }
    return bytes;
}

} // namespace

MarkerState running_marker()
{
    MarkerState state;
    state.packed = vidb_pack_marker[k_state_offset] == 1;
    for (std::size_t i = 0; i < state.payload_sha256.size(); ++i) {
        state.payload_sha256[i] = vidb_pack_marker[k_digest_offset + i];
    }
    return state;
}

fs::path running_executable()
{
    if (::access("/proc/self/exe", F_OK) == 0) {
        return "/proc/self/exe";
    }
    // The file name execve() was given, relative to the working directory at start-up
    // (vidb never changes directory before reading it). getauxval() returns the address
    // as an integer.
    const auto* name = reinterpret_cast<const char*>(::getauxval(AT_EXECFN)); // NOLINT(performance-no-int-to-ptr)
    return name != nullptr ? fs::path(name) : fs::path("/proc/self/exe");
}

std::string payload_damage(const std::optional<Trailer>& trailer, std::uint64_t file_size)
{
    if (!trailer) {
        return "its packed migrations are missing (the file was stripped, truncated or appended to)";
    }
    if (trailer->payload_size > file_size - k_trailer_size) {
        return "its payload trailer names " + std::to_string(trailer->payload_size) + " bytes but the file has only "
            + std::to_string(file_size) + " (truncated or corrupted)";
    }
    return "";
}

std::string payload_damage(std::string_view payload, const Trailer& trailer, const Sha256& expected)
{
    const Sha256 actual = sha256_of(payload);
    if (actual != trailer.payload_sha256) {
        return "its packed migrations fail their SHA-256 check (corrupted)";
    }
    if (actual != expected) {
        return "its packed migrations are not the ones it was packed with (payload " + hex(actual).substr(0, 12)
            + ", expected " + hex(expected).substr(0, 12) + ")";
    }
    return "";
}

VidbImage read_vidb_image(const fs::path& path, const std::string& what)
{
    if (fs::is_directory(path)) {
        throw Error(ExitCode::failure, what + " is a folder, not a vidb executable (" + path.string() + ")");
    }
    std::string bytes = read_whole(path, what);
    const std::string not_vidb = what + " is not a vidb executable (" + path.string() + ")";
    if (!bytes.starts_with("\x7f"
                           "ELF")) {
        throw Error(ExitCode::failure, not_vidb + ": not an ELF executable",
            { "give --base a vidb binary, e.g. the released dist/vidb" });
    }
    const std::string magic = marker_magic();
    const std::size_t at = bytes.find(magic);
    if (at == std::string::npos || at + k_marker_size > bytes.size()
        || bytes.find(magic, at + 1) != std::string::npos) {
        throw Error(ExitCode::failure, not_vidb + ": it has no vidb pack marker",
            { "give --base a vidb binary that knows `vidb pack` (vidb version shows where its migrations come from)" });
    }
    VidbImage image;
    image.marker_offset = at;
    image.packed = bytes[at + k_state_offset] == 1;
    if (!image.packed) {
        image.base = std::move(bytes);
        return image;
    }
    // A packed vidb: the base part is everything before its (intact) payload.
    const auto damaged = [&](const std::string& why) {
        return Error(ExitCode::failure, what + " is a damaged packed vidb: " + why + " (" + path.string() + ")",
            { "use an intact vidb as --base, e.g. the released dist/vidb" });
    };
    std::optional<Trailer> trailer;
    try {
        if (bytes.size() >= k_trailer_size) {
            trailer = decode_trailer(std::string_view(bytes).substr(bytes.size() - k_trailer_size));
        }
    } catch (const PayloadError& error) {
        throw damaged(error.what());
    }
    if (std::string why = payload_damage(trailer, bytes.size()); !why.empty()) {
        throw damaged(why);
    }
    const std::size_t payload_at = bytes.size() - k_trailer_size - static_cast<std::size_t>(trailer->payload_size);
    if (payload_at < at + k_marker_size) {
        throw damaged("its payload overlaps the executable");
    }
    Sha256 expected {};
    std::memcpy(expected.data(), bytes.data() + at + k_digest_offset, expected.size());
    image.payload = bytes.substr(payload_at, static_cast<std::size_t>(trailer->payload_size));
    if (std::string why = payload_damage(image.payload, *trailer, expected); !why.empty()) {
        throw damaged(why);
    }
    bytes.resize(payload_at);
    image.base = std::move(bytes);
    return image;
}

std::string packed_executable(const VidbImage& base, const std::string& payload)
{
    const Sha256 digest = sha256_of(payload);
    std::string out;
    out.reserve(base.base.size() + payload.size() + k_trailer_size);
    out.append(base.base);
    out[base.marker_offset + k_state_offset] = 1;
    std::memcpy(out.data() + base.marker_offset + k_digest_offset, digest.data(), digest.size());
    out += payload;
    out += encode_trailer({ .payload_size = payload.size(), .payload_sha256 = digest });
    return out;
}

void write_file_atomically(const fs::path& path, std::string_view bytes, unsigned mode)
{
    if (fs::is_directory(path)) {
        throw Error(ExitCode::failure, path.string() + " is a folder; -o takes the file to write",
            { "e.g. -o " + (path / "app-migrate").string() });
    }
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::string temp = (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        throw Error(ExitCode::failure,
            "cannot write " + path.string() + ": cannot create a file in " + folder.string() + ": "
                + std::strerror(errno),
            { "nothing was written; choose an -o in a folder that exists and that you may write to" });
    }
    const auto fail = [&](const char* step) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(temp.c_str());
        return Error(ExitCode::failure, "cannot write " + path.string() + ": " + step + ": " + reason,
            { "nothing was written" });
    };
    for (std::size_t done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw fail("write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
        throw fail("chmod");
    }
    if (::fsync(fd) != 0) {
        throw fail("fsync");
    }
    if (::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw Error(ExitCode::failure, "cannot write " + path.string() + ": " + reason, { "nothing was written" });
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw Error(ExitCode::failure, "cannot write " + path.string() + ": " + reason, { "nothing was written" });
    }
}

} // namespace vidb::migrate
