#include "migrate/carried_set.h"

#include "common/error.h"
#include "migrate/packed_binary.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace vidb::migrate {

namespace {

class Fd {
public:
    explicit Fd(int fd)
        : m_fd(fd)
    {
    }
    ~Fd()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

[[noreturn]] void damaged(const std::string& why)
{
    throw Error(ExitCode::failure, "this vidb is damaged: " + why + "; repack it with `vidb pack DIR -o FILE`",
        { "nothing was run: a packed vidb never falls back to the migrations compiled into it",
            "repack from the migrations folder with an intact vidb (e.g. the released dist/vidb as --base)" });
}

bool read_at(int fd, std::string& out, std::uint64_t offset, std::size_t size)
{
    out.resize(size);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, out.data() + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Reads and verifies this executable's payload: only its trailer and payload, never the
// whole file.
std::string read_own_payload(const MarkerState& marker)
{
    const auto path = running_executable();
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st { };
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
        throw Error(ExitCode::failure,
            "cannot read this vidb's packed migrations: " + path.string() + ": " + std::strerror(errno),
            { "nothing was run" });
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    std::optional<Trailer> trailer;
    std::string last;
    try {
        if (size >= k_trailer_size && read_at(fd.get(), last, size - k_trailer_size, k_trailer_size)) {
            trailer = decode_trailer(last);
        }
    } catch (const PayloadError& error) {
        damaged(error.what());
    }
    if (std::string why = payload_damage(trailer, size); !why.empty()) {
        damaged(why);
    }
    std::string payload;
    if (!read_at(fd.get(), payload, size - k_trailer_size - trailer->payload_size,
            static_cast<std::size_t>(trailer->payload_size))) {
        damaged("its payload cannot be read");
    }
    if (std::string why = payload_damage(payload, *trailer, marker.payload_sha256); !why.empty()) {
        damaged(why);
    }
    return payload;
}

std::unique_ptr<CarriedSet> load()
{
    auto set = std::make_unique<CarriedSet>();
    const MarkerState marker = running_marker();
    if (!marker.packed) {
        set->files = embedded_files();
        set->digest = embedded_digest();
        return set;
    }
    const std::string payload = read_own_payload(marker);
    try {
        load_payload(payload, *set);
    } catch (const PayloadError& error) {
        damaged(std::string("its payload is unreadable: ") + error.what());
    } catch (const SourceFolderError& error) {
        damaged(std::string("a packed file breaks the folder rules: ") + error.what());
    }
    return set;
}

} // namespace

void load_payload(std::string_view payload, CarriedSet& set)
{
    Payload decoded = decode_payload(payload);
    const auto format = format_of_layout_tag(decoded.info.layout);
    if (!format) {
        throw PayloadError("its files are in layout '" + decoded.info.layout + "', which this vidb does not read");
    }
    set.source = SetSource::packed;
    set.info = std::move(decoded.info);
    set.raw = std::move(decoded.files);
    // The Catalog checks every file's SQL itself (check_migration_source()), and `vidb pack`
    // refused files that fail it; reading them twice here would only cost start-up time.
    set.parsed = parse_source_files(set.raw, "packed", { .source_checks = false, .format = *format });
    set.digest = source_set_digest(set.parsed);
    set.entries.clear();
    for (const SourceFile& file : set.parsed) {
        set.entries.push_back({ file.kind, static_cast<std::uint64_t>(file.version.key()), file.version_text.c_str(),
            file.name.c_str(), file.file_name.c_str(), reinterpret_cast<const unsigned char*>(file.text.data()),
            file.text.size(), file.checksum.c_str(), file.no_transaction, file.goose_statements, file.first_line });
    }
    set.files = set.entries;
}

const CarriedSet& carried_set()
{
    // Retried on the next call when loading throws (a damaged binary fails every time).
    static const std::unique_ptr<CarriedSet> set = load();
    return *set;
}

std::string source_name(SetSource source)
{
    return source == SetSource::packed ? "packed" : "compiled-in";
}

} // namespace vidb::migrate
