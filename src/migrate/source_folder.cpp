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

// A migration or check (or one section of a one-file migration): checked, normalised.
SourceFile load(const std::string& file_name, std::string text, std::size_t first_line, EmbeddedKind kind,
    const std::string& root, const SourceFolderOptions& options)
{
    SourceFile file;
    file.kind = kind;
    file.file_name = file_name;
    file.first_line = first_line;
    file.text = std::move(text);
    file.checksum = sha256_hex(file.text);
    if (kind != EmbeddedKind::check) {
        const SourcePlan plan = check_migration_source(file.text);
        file.no_transaction = plan.no_transaction;
        if (options.source_checks && !plan.problems.empty()) {
            fail(where(root, file_name) + ":" + std::to_string(plan.problems.front().line + first_line - 1),
                plan.problems.front().message);
        }
    }
    return file;
}

std::string checked_text(const RawSourceFile& raw, const std::string& root)
{
    if (const auto problem = text_problem(raw.bytes)) {
        fail(where(root, raw.relative_path), *problem);
    }
    return normalize_line_endings(raw.bytes);
}

// parse_file_name()'s reason for a version that no layout can store (history.version is bigint).
const std::string k_too_big = "the version does not fit in a bigint";

bool starts_with_digit(const std::string& name)
{
    return !name.empty() && name.front() >= '0' && name.front() <= '9';
}

// Flyway's V<version>__<description>.sql, U<version>__…, R__<description>.sql.
bool looks_like_flyway(const std::string& name)
{
    return parse_flyway_name(name).has_value();
}

// The layout of a folder whose format was not given: each migration-looking file votes
// (up/down names; leading digits plus dbmate's or goose's up marker); one layout may win.
SourceFormat detect_source_format(std::span<const RawSourceFile* const> migrations, const std::string& root)
{
    std::map<SourceFormat, std::string> seen; // layout -> its first file
    for (const RawSourceFile* raw : migrations) {
        const std::string& name = raw->relative_path;

        std::optional<SourceFormat> vote;
        if (looks_like_flyway(name)) {
            vote = SourceFormat::flyway;
        } else if (parse_golang_migrate_name(name)) {
            vote = SourceFormat::golang_migrate;
        } else if (parse_one_file_name(name, false)) {
            const std::string text = normalize_line_endings(raw->bytes);
            if (has_goose_up_marker(text)) {
                vote = SourceFormat::goose;
            } else if (has_dbmate_up_marker(text)) {
                vote = SourceFormat::dbmate;
            }
        }
        if (vote) {
            seen.emplace(*vote, name);
        }
    }
    if (seen.size() > 1) {
        std::string list;
        for (const auto& [format, file] : seen) {
            list += (list.empty() ? "" : ", ") + file + " is " + source_format_name(format);
        }
        fail(root.empty() ? "." : root,
            "mixes migration layouts (" + list
                + "); keep one layout per folder, or force one with -DVIDB_MIGRATIONS_FORMAT=<layout>");
    }
    return seen.empty() ? SourceFormat::golang_migrate : seen.begin()->first;
}

// What the migration files of one layout became, before the pairing checks. Keyed by
// version order, so 1.0 and 1 are one version (as Flyway counts them).
struct Collected {
    std::vector<SourceFile> files;
    std::map<MigrationVersion, std::string> ups;
    std::map<MigrationVersion, std::string> downs;
    std::map<MigrationVersion, std::string> names; // of the ups
    std::map<std::int64_t, std::string> keys; // history key -> first file (see MigrationVersion::key)
};

void add_migration(
    Collected& out, SourceFile file, const MigrationVersion& version, const std::string& name, const std::string& root)
{
    auto& seen = file.kind == EmbeddedKind::up ? out.ups : out.downs;
    if (const auto other = seen.find(version); other != seen.end()) {
        fail(where(root, file.file_name),
            "duplicate version " + version.text() + " (also " + other->second
                + (version.text().find('.') == std::string::npos && other->first.text().find('.') == std::string::npos
                        ? ")"
                        : ", version " + other->first.text()
                            + "): versions are compared number by number, so 1.0 and 1 are the same version"));
    }
    if (const auto [other, added] = out.keys.emplace(version.key(), file.file_name);
        !added && other->second != file.file_name && out.ups.count(version) == 0 && out.downs.count(version) == 0) {
        // Two different dotted versions whose history keys collide (SHA-256, 62 bits).
        fail(where(root, file.file_name),
            "version " + version.text() + " has the same history key as " + other->second
                + "; rename one of them to another version");
    }
    seen.emplace(version, file.file_name);
    file.version = version;
    file.version_text = version.text();
    file.name = name;
    out.files.push_back(std::move(file));
}

// A .sql file that is no migration of the layout: a warning (as golang-migrate, dbmate and
// goose ignore such files), except in vidb's strict layout, or when auto-detection saw
// a file that starts with a version but matches no layout (most likely a mistake).
void skip_or_fail(
    const RawSourceFile& raw, const std::string& root, const SourceFolderOptions& options, const std::string& expected)
{
    const std::string& name = raw.relative_path;
    if (options.format == SourceFormat::vidb
        || (options.format == SourceFormat::auto_detect && starts_with_digit(name))) {
        fail(where(root, name),
            "not a migration file name: expected " + expected
                + (options.format == SourceFormat::auto_detect
                        ? " (or <version>_<name>.sql with dbmate's '-- migrate:up' or goose's '-- +goose Up')"
                        : ""));
    }
    if (options.warn) {
        options.warn(where(root, name) + ": skipped, not a migration file name (expected " + expected + ")");
    }
}

void collect_up_down(
    Collected& out, const RawSourceFile& raw, const std::string& root, const SourceFolderOptions& options, bool strict)
{
    const std::string& base = raw.relative_path;
    std::optional<UpDownName> name;
    if (strict) {
        const auto parsed = parse_file_name(base);
        if (!parsed.value) {
            fail(where(root, base), "not a migration file name: " + parsed.error);
        }
        name = UpDownName { parsed.value->version, parsed.value->version_text, parsed.value->name,
            parsed.value->direction == Direction::up };
    } else {
        name = parse_golang_migrate_name(base);
        if (const auto vidb_name = parse_file_name(base); !name && vidb_name.error == k_too_big) {
            fail(where(root, base), "not a migration file name: " + vidb_name.error);
        }
        if (!name) {
            skip_or_fail(raw, root, options, "<version>_<name>.up.sql or <version>_<name>.down.sql");
            return;
        }
    }
    SourceFile file
        = load(base, checked_text(raw, root), 1, name->up ? EmbeddedKind::up : EmbeddedKind::down, root, options);
    if (name->up) {
        out.names.emplace(*MigrationVersion::parse(name->version_text), name->name);
    }
    add_migration(out, std::move(file), *MigrationVersion::parse(name->version_text), name->name, root);
}

// Flyway: V (up) and U (down, matched by version only, as Flyway matches undo files);
// versions as Flyway reads them (V2.1__, V1_1__: see MigrationVersion). A file holding a
// statement PostgreSQL refuses in a transaction runs outside one, as Flyway runs it.
void collect_flyway(
    Collected& out, const RawSourceFile& raw, const std::string& root, const SourceFolderOptions& options)
{
    const std::string& base = raw.relative_path;
    const auto name = parse_flyway_name(base);
    if (!name) {
        skip_or_fail(raw, root, options, "V<version>__<description>.sql or U<version>__<description>.sql");
        return;
    }
    const auto version = MigrationVersion::parse(name->version_text);
    if (!version) {
        fail(where(root, base),
            "Flyway version " + name->version_text
                + " is not a version: write digits, or digits separated by single '.' or '_' (V2__, V2.1__, V2_1__)");
    }
    const bool up = name->prefix == 'V';
    SourceFile file = load(base, checked_text(raw, root), 1, up ? EmbeddedKind::up : EmbeddedKind::down, root, options);
    file.no_transaction = file.no_transaction || statement_refused_in_transaction(file.text).has_value();
    if (up) {
        out.names.emplace(*version, name->description);
    }
    add_migration(out, std::move(file), *version, name->description, root);
}

// A repeatable migration: Flyway's R__<name>.sql, or <name>.repeatable.sql in the other
// layouts. It always runs in one transaction with its history row.
bool collect_repeatable(std::map<std::string, std::string>& names, std::vector<SourceFile>& out,
    const RawSourceFile& raw, const std::string& root, const SourceFolderOptions& options, SourceFormat format)
{
    constexpr std::string_view k_suffix = ".repeatable.sql";
    const std::string& base = raw.relative_path;
    std::string name;
    if (format == SourceFormat::flyway) {
        const auto flyway = parse_flyway_name(base);
        if (!flyway || flyway->prefix != 'R') {
            return false;
        }
        name = flyway->description;
    } else if (base.ends_with(k_suffix) && base.size() > k_suffix.size()) {
        name = base.substr(0, base.size() - k_suffix.size());
    } else {
        return false;
    }
    if (const auto other = names.find(name); other != names.end()) {
        fail(where(root, base), "duplicate repeatable migration " + name + " (also " + other->second + ")");
    }
    names.emplace(name, base);
    SourceFile file = load(base, checked_text(raw, root), 1, EmbeddedKind::repeatable, root, options);
    if (file.no_transaction || (format == SourceFormat::flyway && statement_refused_in_transaction(file.text))) {
        fail(where(root, base),
            "a repeatable migration always runs in one transaction (with its history row), so it cannot hold a "
            "statement PostgreSQL refuses in a transaction or the no-transaction directive; make it a versioned "
            "migration");
    }
    file.name = name;
    out.push_back(std::move(file));
    return true;
}

void collect_one_file(Collected& out, const RawSourceFile& raw, const std::string& root,
    const SourceFolderOptions& options, SourceFormat format)
{
    const std::string& base = raw.relative_path;
    const bool goose = format == SourceFormat::goose;
    const auto name = parse_one_file_name(base, goose);
    if (!name) {
        skip_or_fail(raw, root, options,
            goose ? "<version>_<name>.sql with '-- +goose Up'" : "<version><name>.sql with '-- migrate:up'");
        return;
    }
    const MigrationVersion version = *MigrationVersion::parse(name->version_text);
    const std::string text = checked_text(raw, root);
    const SplitFile split = goose ? split_goose(text) : split_dbmate(text);
    if (split.problem) {
        fail(where(root, base) + (split.problem->line ? ":" + std::to_string(split.problem->line) : ""),
            split.problem->message);
    }
    const auto add_section = [&](const Section& section, EmbeddedKind kind) {
        SourceFile file = load(base, section.text, section.first_line, kind, root, options);
        file.section = kind == EmbeddedKind::up ? "up" : "down";
        file.no_transaction = file.no_transaction || section.no_transaction;
        file.goose_statements = goose;
        add_migration(out, std::move(file), version, name->name, root);
    };
    add_section(split.up, EmbeddedKind::up);
    out.names.emplace(version, name->name);
    if (split.down) {
        add_section(*split.down, EmbeddedKind::down);
    }
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

SourceFormat detect_folder_format(std::span<const RawSourceFile> files, const std::string& root)
{
    std::vector<const RawSourceFile*> migrations;
    for (const RawSourceFile& file : files) {
        if (!file.relative_path.starts_with("checks/")) {
            migrations.push_back(&file);
        }
    }
    return detect_source_format(migrations, root);
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

    const SourceFormat format
        = options.format == SourceFormat::auto_detect ? detect_source_format(migrations, root) : options.format;
    Collected collected;
    std::vector<SourceFile> repeatables;
    std::map<std::string, std::string> repeatable_names;
    for (const RawSourceFile* raw : migrations) {
        if (collect_repeatable(repeatable_names, repeatables, *raw, root, options, format)) {
            continue;
        }
        switch (format) {
        case SourceFormat::dbmate:
        case SourceFormat::goose:
            collect_one_file(collected, *raw, root, options, format);
            break;
        case SourceFormat::flyway:
            collect_flyway(collected, *raw, root, options);
            break;
        default:
            collect_up_down(collected, *raw, root, options, format == SourceFormat::vidb);
            break;
        }
    }
    std::vector<SourceFile> files = std::move(collected.files);
    for (const auto& [version, down] : collected.downs) {
        const auto up = collected.ups.find(version);
        if (up == collected.ups.end()) {
            fail(where(root, down), "down migration without an up migration for version " + version.argument());
        }
        const MigrationVersion down_version = version; // clang before 16 cannot capture a structured binding
        const auto down_file = std::find_if(files.begin(), files.end(),
            [down_version](const SourceFile& f) { return f.kind == EmbeddedKind::down && f.version == down_version; });
        if (format == SourceFormat::flyway) {
            down_file->name
                = collected.names[version]; // the undo file belongs to its version, whatever its description
        } else if (down_file->name != collected.names[version]) {
            fail(where(root, down), "name differs from its up migration " + up->second);
        }
    }
    for (SourceFile& file : repeatables) {
        files.push_back(std::move(file));
    }
    for (const RawSourceFile* raw : checks) {
        SourceFile file = load(raw->relative_path, checked_text(*raw, root), 1, EmbeddedKind::check, root, options);
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
