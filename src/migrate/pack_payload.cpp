#include "migrate/pack_payload.h"

#include "migrate/checksum.h"

#include <cstring>

namespace vidb::migrate {

std::string payload_layout_tag(SourceFormat format)
{
    return format == SourceFormat::auto_detect ? "vidb" : std::string("vidb:") + source_format_name(format);
}

std::optional<SourceFormat> format_of_layout_tag(std::string_view tag)
{
    if (tag == "vidb") {
        return SourceFormat::auto_detect;
    }
    if (!tag.starts_with("vidb:")) {
        return std::nullopt;
    }
    const auto format = parse_source_format(tag.substr(5));
    if (!format || *format == SourceFormat::auto_detect) {
        return std::nullopt;
    }
    return format;
}

namespace {

constexpr std::string_view k_payload_magic = "VIDBPAY1";
constexpr std::string_view k_trailer_magic = "vidb-packed-tail"; // 16 bytes, the file's last
constexpr std::uint32_t k_trailer_version = 1;
// Far beyond any real folder; a corrupt count must not make us reserve gigabytes.
constexpr std::uint64_t k_max_files = 1'000'000;

void put_u64(std::string& out, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
}

std::uint64_t get_u64(std::string_view bytes)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    }
    return value;
}

void put_string(std::string& out, std::string_view text)
{
    put_u64(out, text.size());
    out.append(text);
}

// Reads the payload front to back; every length is checked against what is left.
class Reader {
public:
    explicit Reader(std::string_view bytes)
        : m_rest(bytes)
    {
    }
    std::string_view take(std::uint64_t size, const char* what)
    {
        if (size > m_rest.size()) {
            throw PayloadError(std::string("the payload ends inside ") + what);
        }
        const std::string_view out = m_rest.substr(0, static_cast<std::size_t>(size));
        m_rest.remove_prefix(static_cast<std::size_t>(size));
        return out;
    }
    std::uint64_t u64(const char* what) { return get_u64(take(8, what)); }
    std::string string(const char* what) { return std::string(take(u64(what), what)); }
    bool done() const { return m_rest.empty(); }

private:
    std::string_view m_rest;
};

bool safe_name(std::string_view name)
{
    if (name.size() < 5 || name == "." || name == ".." || name.substr(name.size() - 4) != ".sql") {
        return false;
    }
    for (const char c : name) {
        if (c == '/' || c == '\\' || c == '\0') {
            return false;
        }
    }
    return true;
}

// NAME.sql or checks/NAME.sql: nothing absolute, no .., nothing deeper.
bool safe_path(std::string_view path)
{
    constexpr std::string_view k_checks = "checks/";
    if (path.starts_with(k_checks)) {
        path.remove_prefix(k_checks.size());
    }
    return safe_name(path);
}

} // namespace

Sha256 sha256_of(std::string_view bytes)
{
    return sha256_bytes(bytes);
}

std::string hex(const Sha256& digest)
{
    constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char byte : digest) {
        out.push_back(k_hex[byte >> 4]);
        out.push_back(k_hex[byte & 0x0f]);
    }
    return out;
}

std::string encode_payload(const Payload& payload)
{
    std::string out(k_payload_magic);
    put_string(out, payload.info.layout);
    put_string(out, payload.info.packed_at);
    put_string(out, payload.info.packed_from);
    put_string(out, payload.info.packed_by);
    put_u64(out, payload.files.size());
    for (const RawSourceFile& file : payload.files) {
        put_string(out, file.relative_path);
        put_string(out, file.bytes);
    }
    return out;
}

Payload decode_payload(std::string_view bytes)
{
    Reader reader(bytes);
    if (reader.take(k_payload_magic.size(), "its header") != k_payload_magic) {
        throw PayloadError("the payload does not start with vidb's header");
    }
    Payload payload;
    payload.info.layout = reader.string("the layout");
    payload.info.packed_at = reader.string("the pack time");
    payload.info.packed_from = reader.string("the folder name");
    payload.info.packed_by = reader.string("the packing version");
    const std::uint64_t count = reader.u64("the file count");
    if (count > k_max_files) {
        throw PayloadError("the payload claims " + std::to_string(count) + " files");
    }
    for (std::uint64_t i = 0; i < count; ++i) {
        RawSourceFile file;
        file.relative_path = reader.string("a file name");
        if (!safe_path(file.relative_path)) {
            throw PayloadError("the payload holds a file named '" + file.relative_path
                + "' (only NAME.sql and checks/NAME.sql are packed)");
        }
        file.bytes = reader.string(file.relative_path.c_str());
        payload.files.push_back(std::move(file));
    }
    if (!reader.done()) {
        throw PayloadError("the payload has bytes after its last file");
    }
    return payload;
}

std::string encode_trailer(const Trailer& trailer)
{
    std::string out;
    put_u64(out, trailer.payload_size);
    out.append(reinterpret_cast<const char*>(trailer.payload_sha256.data()), trailer.payload_sha256.size());
    put_u64(out, k_trailer_version); // 4 bytes of version, 4 reserved (zero)
    out.append(k_trailer_magic);
    return out;
}

std::optional<Trailer> decode_trailer(std::string_view last_bytes)
{
    if (last_bytes.size() != k_trailer_size || last_bytes.substr(48) != k_trailer_magic) {
        return std::nullopt;
    }
    const std::uint64_t version = get_u64(last_bytes.substr(40, 8));
    if (version != k_trailer_version) {
        throw PayloadError("its payload trailer has format " + std::to_string(version & 0xffffffff)
            + ", which this vidb does not read");
    }
    Trailer trailer;
    trailer.payload_size = get_u64(last_bytes.substr(0, 8));
    std::memcpy(trailer.payload_sha256.data(), last_bytes.data() + 8, trailer.payload_sha256.size());
    return trailer;
}

} // namespace vidb::migrate
