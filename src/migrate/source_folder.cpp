#include "migrate/source_folder.h"

#include "migrate/checksum.h"
#include "migrate/file_name.h"
#include "migrate/source_check.h"
#include "migrate/source_text.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

namespace fs = std::filesystem;

namespace vidb::migrate {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& message)
{
    throw SourceFolderError(where + ": " + message);
}

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail(path.string(), "cannot be read");
    }
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

SourceFile load(const fs::path& path, EmbeddedKind kind, std::string file_name, const SourceFolderOptions& options)
{
    const std::string raw = read_file(path);
    if (const auto problem = text_problem(raw)) {
        fail(path.string(), *problem);
    }
    SourceFile file;
    file.kind = kind;
    file.file_name = std::move(file_name);
    file.text = normalize_line_endings(raw);
    file.checksum = sha256_hex(file.text);
    if (kind != EmbeddedKind::check) {
        const SourcePlan plan = check_migration_source(file.text);
        file.no_transaction = plan.no_transaction;
        if (options.source_checks && !plan.problems.empty()) {
            fail(path.string() + ":" + std::to_string(plan.problems.front().line), plan.problems.front().message);
        }
    }
    return file;
}

std::vector<fs::path> sql_files_in(const fs::path& dir)
{
    std::vector<fs::path> files;
    for (const auto& item : fs::directory_iterator(dir)) {
        if (item.is_regular_file() && item.path().extension() == ".sql") {
            files.push_back(item.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<SourceFile> read_folder(const fs::path& dir, const SourceFolderOptions& options)
{
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
        fail(dir.string(), "migrations folder not found");
    }
    std::vector<SourceFile> files;
    std::map<std::uint64_t, fs::path> ups;
    std::map<std::uint64_t, fs::path> downs;
    for (const auto& path : sql_files_in(dir)) {
        const std::string base = path.filename().string();
        const auto parsed = parse_file_name(base);
        if (!parsed.value) {
            fail(path.string(), "not a migration file name: " + parsed.error);
        }
        auto& seen = parsed.value->direction == Direction::up ? ups : downs;
        if (const auto other = seen.find(parsed.value->version); other != seen.end()) {
            fail(path.string(),
                "duplicate version " + parsed.value->version_text + " (also " + other->second.filename().string()
                    + ")");
        }
        seen.emplace(parsed.value->version, path);
        SourceFile file = load(
            path, parsed.value->direction == Direction::up ? EmbeddedKind::up : EmbeddedKind::down, base, options);
        file.version = parsed.value->version;
        file.version_text = parsed.value->version_text;
        file.name = parsed.value->name;
        files.push_back(std::move(file));
    }
    for (const auto& [version, path] : downs) {
        const auto up = ups.find(version);
        if (up == ups.end()) {
            fail(path.string(), "down migration without an up migration for version " + std::to_string(version));
        }
        const auto up_name = parse_file_name(up->second.filename().string()).value->name;
        const auto down_name = parse_file_name(path.filename().string()).value->name;
        if (up_name != down_name) {
            fail(path.string(), "name differs from its up migration " + up->second.filename().string());
        }
    }
    const fs::path checks = dir / "checks";
    if (fs::is_directory(checks, error)) {
        for (const auto& path : sql_files_in(checks)) {
            SourceFile file = load(path, EmbeddedKind::check, "checks/" + path.filename().string(), options);
            file.name = path.stem().string();
            files.push_back(std::move(file));
        }
    }
    return files;
}

} // namespace

std::vector<SourceFile> read_source_folder(const fs::path& dir, const SourceFolderOptions& options)
{
    try {
        return read_folder(dir, options);
    } catch (const fs::filesystem_error& error) {
        fail(error.path1().string(), error.code().message());
    }
}

std::string source_set_digest(std::span<const SourceFile> files)
{
    std::string input;
    for (const SourceFile& file : files) {
        input += file.file_name + '\0' + file.checksum + '\n';
    }
    return sha256_hex(input);
}

} // namespace vidb::migrate
