// `vidb pack` and `vidb unpack`: a copy of a vidb carrying a folder's migrations, and the
// files of a packed vidb written back out (MIGRATIONS.md, "Packing your migrations").
#include "cli/build_info.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/json_shapes.h"
#include "common/error.h"
#include "lint/source_set_lint.h"
#include "migrate/carried_set.h"
#include "migrate/packed_binary.h"

#include <CLI/CLI.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <memory>

namespace vidb::cli {

namespace {

namespace fs = std::filesystem;

struct PackOptions {
    std::string dir = "sql";
    std::string output;
    std::string base;
    std::string lint = "warn";
    std::string format = "auto";
};

struct UnpackOptions {
    std::string output;
    bool force = false;
};

std::string folder_name(const fs::path& dir)
{
    const fs::path absolute = fs::absolute(dir).lexically_normal();
    const std::string name = (absolute.has_filename() ? absolute : absolute.parent_path()).filename().string();
    return name.empty() ? "/" : name;
}

void run_pack(Context& context, const PackOptions& options)
{
    const auto& out = context.out();
    const fs::path dir = options.dir;
    if (!fs::is_directory(dir)) {
        throw Error(ExitCode::failure, "migrations folder " + dir.string() + " not found",
            { "vidb pack DIR -o FILE packs the folder DIR (default: sql)" });
    }
    // The folder rules of the build-time embedder (source_folder.h), source checks included.
    const auto format = migrate::parse_source_format(options.format);
    if (!format) {
        throw UsageError(
            "--format: expected auto, vidb, golang-migrate, dbmate, goose or flyway, got '" + options.format + "'");
    }
    const auto raw = migrate::read_raw_source_folder(dir);
    // Files the layout skips (a .sql file that is no migration) are said, as the build says them.
    const auto parsed = migrate::parse_source_files(
        raw, dir.string(), { .format = *format, .warn = [&out](const std::string& line) { out.warning(line); } });
    std::size_t migrations = 0;
    std::size_t checks = 0;
    for (const auto& file : parsed) {
        migrations += file.kind == migrate::EmbeddedKind::up ? 1 : 0;
        checks += file.kind == migrate::EmbeddedKind::check ? 1 : 0;
    }
    if (migrations == 0) {
        throw Error(ExitCode::failure, dir.string() + " holds no migrations: nothing to pack",
            { "migrations are files named <version>_<name>.up.sql (and .down.sql); vidb new NAME creates one" });
    }
    // The rules of vidb lint, as the build-time embedder runs them (-DVIDB_LINT): findings
    // on stderr, and with --lint=error no binary when one is an error.
    const auto lint_mode = lint::parse_lint_mode(options.lint);
    if (!lint_mode) {
        throw UsageError("--lint: expected off, warn or error, got '" + options.lint + "'");
    }
    if (const int errors = lint::lint_source_set(dir.string(), parsed, *lint_mode, std::cerr); errors > 0) {
        throw Error(ExitCode::failure,
            fmt::format("{} lint error finding{} in {} (--lint=error): nothing was written", errors,
                errors == 1 ? "" : "s", dir.string()),
            { "fix them, waive one with -- vidb:allow <rule> <reason> above the statement, or pack with --lint=warn" });
    }
    const bool own = options.base.empty();
    const fs::path base_path = own ? migrate::running_executable() : fs::path(options.base);
    const auto base = migrate::read_vidb_image(base_path, own ? "this vidb" : "--base " + options.base);
    migrate::Payload payload;
    payload.info.packed_at = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
    payload.info.packed_from = folder_name(dir);
    payload.info.packed_by = k_version;
    payload.info.layout = migrate::payload_layout_tag(*format);
    payload.files = raw;
    const std::string payload_bytes = migrate::encode_payload(payload);
    const std::string executable = migrate::packed_executable(base, payload_bytes);
    migrate::write_file_atomically(options.output, executable, 0755);
    const PackedInfo info { options.output, own ? "" : options.base, base.packed, migrations, checks,
        migrate::source_set_digest(parsed), payload.info.packed_from, payload.info.packed_at, payload_bytes.size(),
        executable.size() };
    if (out.json()) {
        out.document(pack_json(info));
        return;
    }
    out.progress(fmt::format("Packed {} migration{} and {} check{} from {} into {} ({} bytes; digest {}){}", migrations,
        migrations == 1 ? "" : "s", checks, checks == 1 ? "" : "s", dir.string(), options.output, executable.size(),
        info.digest.substr(0, 12), base.packed ? "; the base's payload was replaced" : ""));
}

bool non_empty_folder(const fs::path& dir)
{
    return fs::is_directory(dir) && fs::directory_iterator(dir) != fs::directory_iterator();
}

void write_file(const fs::path& path, const std::string& bytes)
{
    migrate::write_file_atomically(path, bytes, 0644);
}

void run_unpack(Context& context, const UnpackOptions& options)
{
    const auto& out = context.out();
    const auto& set = migrate::carried_set();
    if (set.source != migrate::SetSource::packed) {
        throw Error(ExitCode::failure, "this vidb carries no packed migrations: they are compiled in",
            { "vidb list and vidb show V print them; vidb unpack writes out what vidb pack packed" });
    }
    const fs::path dir = options.output;
    if (fs::exists(dir) && !fs::is_directory(dir)) {
        throw Error(ExitCode::failure, dir.string() + " is not a folder; -o takes the folder to write the files to");
    }
    if (non_empty_folder(dir) && !options.force) {
        throw RefusedError(dir.string() + " is not empty: nothing was written",
            { "choose an empty or new folder, or add --force to overwrite the files of the same names" });
    }
    std::error_code error;
    fs::create_directories(dir / "checks", error);
    if (error) {
        throw Error(ExitCode::failure, "cannot create " + (dir / "checks").string() + ": " + error.message());
    }
    std::vector<std::string> names;
    for (const auto& file : set.raw) {
        write_file(dir / file.relative_path, file.bytes);
        names.push_back(file.relative_path);
    }
    // checks/ only when the set has checks, as the folder was.
    if (fs::is_empty(dir / "checks", error)) {
        fs::remove(dir / "checks", error);
    }
    if (out.json()) {
        out.document(unpack_json(dir.string(), names, set.digest, set.info.packed_from, set.info.packed_at));
        return;
    }
    out.progress(fmt::format("Wrote {} file{} to {} (packed from {} at {}; digest {})", names.size(),
        names.size() == 1 ? "" : "s", dir.string(), set.info.packed_from, set.info.packed_at,
        set.digest.substr(0, 12)));
}

} // namespace

void add_pack_command(CLI::App& app, Context& context)
{
    auto options = std::make_shared<PackOptions>();
    auto* command = app.add_subcommand("pack", "Write a copy of vidb carrying a folder's migrations (no compiler)");
    command->add_option("DIR", options->dir, "Migrations folder, with checks/*.sql (default: sql)");
    command->add_option("-o,--output", options->output, "The executable to write (atomically, mode 0755)")->required();
    command->add_option("--base", options->base, "Copy this vidb executable instead of the running one");
    command->add_option("--format", options->format,
        "The folder's layout when detection cannot tell: auto (default), vidb, golang-migrate, dbmate, goose or "
        "flyway (as -DVIDB_MIGRATIONS_FORMAT); the packed binary reads its files the same way");
    command->add_option("--lint", options->lint,
        "Run vidb lint's rules on the migrations: off, warn (print findings; default) or error (also refuse to pack "
        "on an error finding)");
    command->callback([&context, options] { run_pack(context, *options); });

    auto unpack = std::make_shared<UnpackOptions>();
    auto* unpack_command = app.add_subcommand("unpack", "Write this vidb's packed files back out, byte for byte");
    unpack_command->add_option("-o,--output", unpack->output, "Folder to write the files to")->required();
    unpack_command->add_flag("--force", unpack->force, "Write into a folder that is not empty");
    unpack_command->callback([&context, unpack] { run_unpack(context, *unpack); });
}

} // namespace vidb::cli
