#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "migrate/file_name.h"
#include "migrate/source_folder.h"
#include "migrate/source_layout.h"

#include <CLI/CLI.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

namespace vidb::cli {

namespace {

namespace fs = std::filesystem;

struct NewOptions {
    std::string name;
    std::string dir = "sql";
    std::string format = "auto";
};

// 14-digit versions (YYYYmmddHHMMSS) mean the project numbers by timestamp.
bool is_timestamp(const std::string& version_text)
{
    return version_text.size() == 14 && version_text >= "19700101000000";
}

// The folder's versions as its layout reads them (up files, or up sections).
struct FolderVersions {
    std::uint64_t newest = 0;
    std::size_t width = 0; // of the widest version as written
    bool timestamps = false; // the newest is a YYYYmmddHHMMSS timestamp
};

FolderVersions folder_versions(const std::vector<migrate::SourceFile>& files)
{
    FolderVersions versions;
    for (const auto& file : files) {
        if (file.kind != migrate::EmbeddedKind::up) {
            continue;
        }
        // A dotted Flyway version (2.1) counts by its first part: the next one is 3.
        const std::string first = file.version_text.substr(0, file.version_text.find('.'));
        const std::uint64_t number = first.size() <= 18 ? std::stoull(first) : 0;
        if (number >= versions.newest) {
            versions.newest = number;
            versions.timestamps = is_timestamp(first);
        }
        versions.width = std::max(versions.width, first.size());
    }
    return versions;
}

// Continues the folder's style: the time now (UTC) after timestamps, else the next number
// padded like the others (0001 in an empty folder of vidb's layout; Flyway's 1, 2, ...).
std::string next_version(const FolderVersions& versions, migrate::SourceFormat format)
{
    if (versions.timestamps) {
        const std::string now = fmt::format("{:%Y%m%d%H%M%S}", fmt::gmtime(std::time(nullptr)));
        return std::to_string(std::max<std::uint64_t>(std::stoull(now), versions.newest + 1));
    }
    const std::size_t width = versions.width > 0 ? versions.width : format == migrate::SourceFormat::flyway ? 1 : 4;
    return fmt::format("{:0{}}", versions.newest + 1, width);
}

void create(const fs::path& path, const std::string& text)
{
    if (fs::exists(path)) {
        throw Error(ExitCode::failure, path.string() + " already exists; nothing was created");
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) {
        throw Error(ExitCode::failure, "cannot write " + path.string());
    }
}

void run_new(Context& context, const NewOptions& options)
{
    const std::string& name = options.name;
    if (name.empty()) {
        throw UsageError("the migration name is empty; e.g. vidb new add_users_table");
    }
    if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos) {
        throw UsageError("the migration name must not contain a path separator; use --dir to choose the folder");
    }
    if (name.size() > 100) {
        throw UsageError("the migration name is longer than 100 characters");
    }
    for (const char c : name) {
        if (!migrate::is_valid_name_char(c) || c == '.') {
            throw UsageError("the migration name may only contain letters, digits, '_' and '-'; e.g. add_users_table");
        }
    }
    const fs::path dir = options.dir;
    if (!fs::is_directory(dir)) {
        throw UsageError("migrations folder " + dir.string() + " not found (run from the project root, or pass --dir)");
    }
    auto format = migrate::parse_source_format(options.format);
    if (!format) {
        throw UsageError(
            "--format: expected auto, vidb, golang-migrate, dbmate, goose or flyway, got '" + options.format + "'");
    }
    // The folder as the build reads it: its layout and its versions.
    const auto raw = migrate::read_raw_source_folder(dir);
    if (*format == migrate::SourceFormat::auto_detect) {
        format = migrate::detect_folder_format(raw, dir.string());
    }
    const auto files
        = migrate::parse_source_files(raw, dir.string(), { .source_checks = false, .format = *format, .warn = {} });
    const std::string version = next_version(folder_versions(files), *format);
    std::vector<std::pair<fs::path, std::string>> created;
    switch (*format) {
    case migrate::SourceFormat::dbmate:
        // dbmate new: one file, both sections.
        created.emplace_back(dir / (version + "_" + name + ".sql"), "-- migrate:up\n\n\n-- migrate:down\n\n");
        break;
    case migrate::SourceFormat::goose:
        // goose create NAME sql: one file, both sections.
        created.emplace_back(dir / (version + "_" + name + ".sql"),
            "-- +goose Up\n-- +goose StatementBegin\n\n-- +goose StatementEnd\n\n-- +goose Down\n"
            "-- +goose StatementBegin\n\n-- +goose StatementEnd\n");
        break;
    case migrate::SourceFormat::flyway:
        // Flyway: the versioned file; an undo file (U<version>__) is the user's choice.
        created.emplace_back(dir / ("V" + version + "__" + name + ".sql"),
            "-- V" + version + "__" + name + ": describe the change here.\n\n");
        break;
    default: {
        const std::string base = version + "_" + name;
        created.emplace_back(dir / (base + ".up.sql"),
            "-- " + base
                + ": describe the change here.\n-- Runs in one transaction; put `-- vidb:no-transaction` on a "
                  "line of its own in this header for CREATE INDEX CONCURRENTLY and the like.\n\n");
        created.emplace_back(
            dir / (base + ".down.sql"), "-- Undo " + base + ". Delete this file if the change cannot be undone.\n\n");
    }
    }
    for (const auto& [path, text] : created) {
        if (fs::exists(path)) {
            throw Error(ExitCode::failure, path.string() + " already exists; nothing was created");
        }
    }
    for (const auto& [path, text] : created) {
        create(path, text);
    }
    if (context.out().json()) {
        context.out().document(new_json(created.front().first.string(),
            created.size() > 1 ? std::optional<std::string>(created.back().first.string()) : std::nullopt));
        return;
    }
    for (const auto& [path, text] : created) {
        context.out().result("created " + path.string());
    }
    context.out().progress("Rebuild (make build) to embed them into vidb.");
}

} // namespace

void add_new_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<NewOptions>();
    auto* command = app.add_subcommand(
        "new", "Create the next migration in the folder's layout (<version>_<name>.up.sql and .down.sql by default)");
    command->add_option("NAME", options->name, "What the migration does, e.g. add_users_table")->required();
    command->add_option("--dir", options->dir, "The migrations folder (default sql)");
    command->add_option("--format", options->format,
        "The folder's layout when detection cannot tell: auto (default), vidb, golang-migrate, dbmate, goose or "
        "flyway; the new file follows it");
    command->callback([&context, options] { run_new(context, *options); });
}

} // namespace vidb::cli
