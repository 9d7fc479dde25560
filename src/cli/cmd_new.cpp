#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "migrate/file_name.h"

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
};

// 14-digit versions (YYYYmmddHHMMSS) mean the project numbers by timestamp.
bool is_timestamp(const std::string& version_text)
{
    return version_text.size() == 14 && version_text >= "19700101000000";
}

std::string next_version(const fs::path& dir)
{
    std::uint64_t newest = 0;
    std::size_t width = 4;
    bool timestamps = false;
    bool any = false;
    for (const auto& item : fs::directory_iterator(dir)) {
        const auto parsed = migrate::parse_file_name(item.path().filename().string());
        if (!parsed.value) {
            continue;
        }
        any = true;
        newest = std::max(newest, parsed.value->version);
        width = std::max(width, parsed.value->version_text.size());
        timestamps = is_timestamp(parsed.value->version_text);
    }
    if (any && timestamps) {
        const std::string now = fmt::format("{:%Y%m%d%H%M%S}", fmt::gmtime(std::time(nullptr)));
        const std::uint64_t stamp = std::stoull(now);
        return std::to_string(std::max(stamp, newest + 1));
    }
    return fmt::format("{:0{}}", newest + 1, width);
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
    const std::string base = next_version(dir) + "_" + name;
    const fs::path up = dir / (base + ".up.sql");
    const fs::path down = dir / (base + ".down.sql");
    if (fs::exists(up) || fs::exists(down)) {
        throw Error(ExitCode::failure, base + " already exists; nothing was created");
    }
    create(up,
        "-- " + base
            + ": describe the change here.\n-- Runs in one transaction; put `-- vidb:no-transaction` on a "
              "line of its own in this header for CREATE INDEX CONCURRENTLY and the like.\n\n");
    create(down, "-- Undo " + base + ". Delete this file if the change cannot be undone.\n\n");
    if (context.out().json()) {
        context.out().document(new_json(up.string(), down.string()));
        return;
    }
    context.out().result("created " + up.string());
    context.out().result("created " + down.string());
    context.out().progress("Rebuild (make build) to embed them into vidb.");
}

} // namespace

void add_new_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<NewOptions>();
    auto* command = app.add_subcommand("new", "Create the next <version>_<name>.up.sql and .down.sql pair");
    command->add_option("NAME", options->name, "What the migration does, e.g. add_users_table")->required();
    command->add_option("--dir", options->dir, "The migrations folder (default sql)");
    command->callback([&context, options] { run_new(context, *options); });
}

} // namespace vidb::cli
