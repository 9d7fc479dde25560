#include "localdb/server_binaries.h"

#include "common/error.h"
#include "localdb/process.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <unistd.h>

namespace vidb::localdb {

namespace {

namespace fs = std::filesystem;

bool has_programs(const fs::path& dir)
{
    for (const char* name : { "initdb", "pg_ctl", "postgres" }) {
        if (access((dir / name).c_str(), X_OK) != 0) {
            return false;
        }
    }
    return true;
}

// Subdirectories of `parent` whose names start with `prefix`, plus `suffix`.
void add_matching(std::vector<fs::path>& out, const fs::path& parent, const std::string& prefix, const fs::path& suffix)
{
    std::error_code ec;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename().string().starts_with(prefix)) {
            out.push_back(it->path() / suffix);
        }
    }
}

std::vector<fs::path> candidate_dirs()
{
    std::vector<fs::path> dirs;
    for (const char* name : { "initdb", "pg_ctl", "postgres" }) {
        if (const auto found = find_program(name)) {
            std::error_code ec;
            // /usr/local/bin/initdb may be a symlink into the real bindir.
            const fs::path real = fs::canonical(*found, ec);
            dirs.push_back((ec ? fs::path(*found) : real).parent_path());
        }
    }
    if (const auto pg_config = find_program("pg_config")) {
        const Outcome outcome = run({ .argv = { *pg_config, "--bindir" }, .timeout = std::chrono::seconds(10) });
        if (outcome.ok()) {
            std::string dir = outcome.output;
            while (!dir.empty() && std::isspace(static_cast<unsigned char>(dir.back()))) {
                dir.pop_back();
            }
            dirs.emplace_back(dir);
        }
    }
    add_matching(dirs, "/usr/lib/postgresql", "", "bin"); // Debian, Ubuntu
    add_matching(dirs, "/usr", "pgsql-", "bin"); // PGDG packages on RHEL, Fedora
    dirs.emplace_back("/usr/local/pgsql/bin"); // built from source
    add_matching(dirs, "/opt/homebrew/opt", "postgresql", "bin");
    add_matching(dirs, "/usr/local/opt", "postgresql", "bin");
    return dirs;
}

std::optional<ServerBinaries> inspect(const fs::path& dir)
{
    if (!has_programs(dir)) {
        return std::nullopt;
    }
    const Outcome outcome
        = run({ .argv = { (dir / "postgres").string(), "--version" }, .timeout = std::chrono::seconds(10) });
    const std::string version = parse_server_version(outcome.output);
    if (!outcome.ok() || version.empty()) {
        return std::nullopt;
    }
    return ServerBinaries { dir.string(), version, major_of(version) };
}

} // namespace

std::vector<ServerBinaries> find_server_binaries(const std::string& override_dir)
{
    std::vector<ServerBinaries> found;
    if (!override_dir.empty()) {
        if (auto binaries = inspect(override_dir)) {
            found.push_back(*binaries);
            return found;
        }
        throw UsageError(
            "VIDB_PG_BINDIR=" + override_dir + " does not hold working initdb, pg_ctl and postgres programs");
    }
    std::vector<std::string> seen;
    for (const fs::path& dir : candidate_dirs()) {
        std::error_code ec;
        const fs::path real = fs::canonical(dir, ec);
        if (ec || std::find(seen.begin(), seen.end(), real.string()) != seen.end()) {
            continue;
        }
        seen.push_back(real.string());
        if (auto binaries = inspect(real)) {
            found.push_back(*binaries);
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.major > b.major; });
    return found;
}

std::optional<ServerBinaries> choose_binaries(const std::vector<ServerBinaries>& found, int data_major)
{
    for (const auto& binaries : found) {
        if (data_major <= 0 || binaries.major == data_major) {
            return binaries;
        }
    }
    return std::nullopt;
}

std::string parse_server_version(std::string_view output)
{
    const std::string_view marker = "(PostgreSQL) ";
    const std::size_t at = output.find(marker);
    if (at == std::string_view::npos) {
        return "";
    }
    std::size_t end = at + marker.size();
    while (end < output.size() && (std::isdigit(static_cast<unsigned char>(output[end])) || output[end] == '.')) {
        ++end;
    }
    std::string version(output.substr(at + marker.size(), end - at - marker.size()));
    while (!version.empty() && version.back() == '.') {
        version.pop_back();
    }
    return version.empty() || !std::isdigit(static_cast<unsigned char>(version.front())) ? "" : version;
}

int major_of(std::string_view version)
{
    int major = 0;
    for (const char c : version) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || major > 10000) {
            break;
        }
        major = major * 10 + (c - '0');
    }
    return major;
}

std::vector<std::string> install_advice()
{
    return { "install the PostgreSQL server: apt-get install postgresql (Debian, Ubuntu), dnf install "
             "postgresql-server (Fedora, RHEL), brew install postgresql (macOS)",
        "or start a Docker engine (vidb up then runs postgres:16-alpine in a container)",
        "or point VIDB_PG_BINDIR at a directory holding initdb, pg_ctl and postgres" };
}

} // namespace vidb::localdb
