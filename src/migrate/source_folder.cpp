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

// Where a file is, for messages: the folder as the user named it, joined with the file.
std::string where(const std::string& root, const std::string& relative)
{
    return root.empty() ? relative : (fs::path(root) / relative).string();
}

SourceFile load(
    const RawSourceFile& raw, const std::string& root, EmbeddedKind kind, const SourceFolderOptions& options)
{
    if (const auto problem = text_problem(raw.bytes)) {
        fail(where(root, raw.relative_path), *problem);
    }
    SourceFile file;
    file.kind = kind;
    file.file_name = raw.relative_path;
    file.text = normalize_line_endings(raw.bytes);
    file.checksum = sha256_hex(file.text);
    if (kind != EmbeddedKind::check) {
        const SourcePlan plan = check_migration_source(file.text);
        file.no_transaction = plan.no_transaction;
        if (options.source_checks && !plan.problems.empty()) {
            fail(where(root, raw.relative_path) + ":" + std::to_string(plan.problems.front().line),
                plan.problems.front().message);
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

std::vector<RawSourceFile> list_folder(const fs::path& dir)
{
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
        fail(dir.string(), "migrations folder not found");
    }
    std::vector<RawSourceFile> files;
    for (const auto& path : sql_files_in(dir)) {
        files.push_back({ path.filename().string(), read_file(path) });
    }
    if (const fs::path checks = dir / "checks"; fs::is_directory(checks, error)) {
        for (const auto& path : sql_files_in(checks)) {
            files.push_back({ "checks/" + path.filename().string(), read_file(path) });
        }
    }
    return files;
}

bool is_check(const RawSourceFile& file)
{
    return file.relative_path.starts_with("checks/");
}

} // namespace

std::vector<RawSourceFile> read_raw_source_folder(const fs::path& dir)
{
    try {
        return list_folder(dir);
    } catch (const fs::filesystem_error& error) {
        fail(error.path1().string(), error.code().message());
    }
}

std::vector<SourceFile> parse_source_files(
    std::span<const RawSourceFile> raw_files, const std::string& root, const SourceFolderOptions& options)
{
    std::vector<const RawSourceFile*> migrations;
    std::vector<const RawSourceFile*> checks;
    for (const RawSourceFile& raw : raw_files) {
        (is_check(raw) ? checks : migrations).push_back(&raw);
    }
    const auto by_name
        = [](const RawSourceFile* a, const RawSourceFile* b) { return a->relative_path < b->relative_path; };
    std::sort(migrations.begin(), migrations.end(), by_name);
    std::sort(checks.begin(), checks.end(), by_name);

    std::vector<SourceFile> files;
    std::map<std::uint64_t, std::string> ups;
    std::map<std::uint64_t, std::string> downs;
    for (const RawSourceFile* raw : migrations) {
        const std::string& base = raw->relative_path;
        const auto parsed = parse_file_name(base);
        if (!parsed.value) {
            fail(where(root, base), "not a migration file name: " + parsed.error);
        }
        auto& seen = parsed.value->direction == Direction::up ? ups : downs;
        if (const auto other = seen.find(parsed.value->version); other != seen.end()) {
            fail(
                where(root, base), "duplicate version " + parsed.value->version_text + " (also " + other->second + ")");
        }
        seen.emplace(parsed.value->version, base);
        SourceFile file = load(
            *raw, root, parsed.value->direction == Direction::up ? EmbeddedKind::up : EmbeddedKind::down, options);
        file.version = parsed.value->version;
        file.version_text = parsed.value->version_text;
        file.name = parsed.value->name;
        files.push_back(std::move(file));
    }
    for (const auto& [version, down] : downs) {
        const auto up = ups.find(version);
        if (up == ups.end()) {
            fail(where(root, down), "down migration without an up migration for version " + std::to_string(version));
        }
        if (parse_file_name(up->second).value->name != parse_file_name(down).value->name) {
            fail(where(root, down), "name differs from its up migration " + up->second);
        }
    }
    for (const RawSourceFile* raw : checks) {
        SourceFile file = load(*raw, root, EmbeddedKind::check, options);
        file.name = fs::path(raw->relative_path).stem().string();
        files.push_back(std::move(file));
    }
    return files;
}

std::vector<SourceFile> read_source_folder(const fs::path& dir, const SourceFolderOptions& options)
{
    const std::vector<RawSourceFile> raw = read_raw_source_folder(dir);
    return parse_source_files(raw, dir.string(), options);
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
