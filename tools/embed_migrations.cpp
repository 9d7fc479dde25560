// Build-time tool: validates a migrations folder and writes it out for the compiler.
// Usage: vidb_embed [--no-source-checks] <migrations dir> <output.cpp> [<data dir>]
// Any problem fails the build with one line naming the file (and line).
//
// Each file's bytes go to <data dir> (default: <output>_data next to the output) and the
// generated source pulls them in with the assembler's .incbin: no giant C++ array for
// the compiler to parse, so a 50 MB migration builds in the time it takes to copy it.
//
// --no-source-checks skips check_migration_source() (transaction control, COPY, psql
// meta-commands, directives). Only for test fixtures that prove the run-time check.

#include "migrate/checksum.h"
#include "migrate/file_name.h"
#include "migrate/source_check.h"
#include "migrate/source_text.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace vidb::migrate;

namespace {

struct Entry {
    std::string kind; // up, down, check
    std::uint64_t version = 0;
    std::string version_text;
    std::string name;
    std::string file_name;
    std::string text;
    std::string checksum;
    bool no_transaction = false;
};

bool g_source_checks = true;

[[noreturn]] void fail(const fs::path& file, const std::string& message)
{
    std::cerr << "vidb: error: " << file.string() << ": " << message << '\n';
    std::exit(1);
}

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail(path, "cannot be read");
    }
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

Entry load(const fs::path& path, std::string kind, std::string file_name)
{
    const std::string raw = read_file(path);
    if (const auto problem = text_problem(raw)) {
        fail(path, *problem);
    }
    Entry entry;
    entry.kind = std::move(kind);
    entry.file_name = std::move(file_name);
    entry.text = normalize_line_endings(raw);
    entry.checksum = sha256_hex(entry.text);
    if (entry.kind != "check") {
        const SourcePlan plan = check_migration_source(entry.text);
        entry.no_transaction = plan.no_transaction;
        if (g_source_checks && !plan.problems.empty()) {
            fail(path.string() + ":" + std::to_string(plan.problems.front().line), plan.problems.front().message);
        }
    }
    return entry;
}

std::vector<Entry> collect(const fs::path& dir)
{
    std::vector<Entry> entries;
    std::map<std::uint64_t, fs::path> ups;
    std::map<std::uint64_t, fs::path> downs;
    std::vector<fs::path> files;
    for (const auto& item : fs::directory_iterator(dir)) {
        if (item.is_regular_file() && item.path().extension() == ".sql") {
            files.push_back(item.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        const std::string base = path.filename().string();
        const auto parsed = parse_file_name(base);
        if (!parsed.value) {
            fail(path, "not a migration file name: " + parsed.error);
        }
        auto& seen = parsed.value->direction == Direction::up ? ups : downs;
        if (const auto other = seen.find(parsed.value->version); other != seen.end()) {
            fail(path,
                "duplicate version " + parsed.value->version_text + " (also " + other->second.filename().string()
                    + ")");
        }
        seen.emplace(parsed.value->version, path);
        Entry entry = load(path, parsed.value->direction == Direction::up ? "up" : "down", base);
        entry.version = parsed.value->version;
        entry.version_text = parsed.value->version_text;
        entry.name = parsed.value->name;
        entries.push_back(std::move(entry));
    }
    for (const auto& [version, path] : downs) {
        const auto up = ups.find(version);
        if (up == ups.end()) {
            fail(path, "down migration without an up migration for version " + std::to_string(version));
        }
        const auto up_name = parse_file_name(up->second.filename().string()).value->name;
        const auto down_name = parse_file_name(path.filename().string()).value->name;
        if (up_name != down_name) {
            fail(path, "name differs from its up migration " + up->second.filename().string());
        }
    }
    const fs::path checks = dir / "checks";
    if (fs::is_directory(checks)) {
        std::vector<fs::path> check_files;
        for (const auto& item : fs::directory_iterator(checks)) {
            if (item.is_regular_file() && item.path().extension() == ".sql") {
                check_files.push_back(item.path());
            }
        }
        std::sort(check_files.begin(), check_files.end());
        for (const auto& path : check_files) {
            Entry entry = load(path, "check", "checks/" + path.filename().string());
            entry.name = path.stem().string();
            entries.push_back(std::move(entry));
        }
    }
    return entries;
}

// Names are validated to plain characters, but quote them defensively anyway.
std::string cpp_string(const std::string& text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '"' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    return out + "\"";
}

std::string data_symbol(std::size_t index)
{
    return "vidb_embedded_" + std::to_string(index);
}

std::string generate(const std::vector<Entry>& entries, const fs::path& data_dir)
{
    std::ostringstream out;
    out << "// Generated by vidb_embed. Do not edit.\n#include \"migrate/embedded.h\"\n\n";
    if (!entries.empty()) {
        // Local symbols in read-only data, each followed by a NUL that is not part of it.
        // The checksums below change whenever a data file does, so this source (and its
        // object) changes with them.
        out << "asm(\".pushsection .rodata\\n\"\n";
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const std::string path = fs::absolute(data_dir / entries[i].file_name).string();
            out << "    " << cpp_string(data_symbol(i) + ":\n") << "\n    "
                << cpp_string(".incbin " + cpp_string(path) + "\n") << "\n    \".byte 0\\n\"\n";
        }
        out << "    \".popsection\\n\");\n\n";
        for (std::size_t i = 0; i < entries.size(); ++i) {
            out << "extern \"C\" const unsigned char " << data_symbol(i) << "[];\n";
        }
    }
    out << "\nnamespace vidb::migrate {\n\nstd::span<const EmbeddedFile> embedded_files()\n{\n";
    if (entries.empty()) {
        out << "    return {};\n}\n";
    } else {
        out << "    static const EmbeddedFile k_files[] = {\n";
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const Entry& e = entries[i];
            const std::string kind = e.kind == "up" ? "up" : e.kind == "down" ? "down" : "check";
            out << "        {EmbeddedKind::" << kind << ", " << e.version << "ULL, " << cpp_string(e.version_text)
                << ", " << cpp_string(e.name) << ", " << cpp_string(e.file_name) << ", " << data_symbol(i) << ", "
                << e.text.size() << ", " << cpp_string(e.checksum) << ", " << (e.no_transaction ? "true" : "false")
                << "},\n";
        }
        out << "    };\n    return k_files;\n}\n";
    }
    std::string digest_input;
    for (const Entry& e : entries) {
        digest_input += e.file_name + '\0' + e.checksum + '\n';
    }
    out << "\nconst char* embedded_digest()\n{\n    return " << cpp_string(sha256_hex(digest_input)) << ";\n}\n\n";
    out << "} // namespace vidb::migrate\n";
    return out.str();
}

// Writes only on change, so an unchanged folder neither recompiles nor relinks.
void write_if_changed(const fs::path& path, const std::string& content)
{
    std::error_code ignored;
    if (fs::exists(path) && fs::file_size(path, ignored) == content.size() && read_file(path) == content) {
        return;
    }
    if (std::error_code error;
        !path.parent_path().empty() && !fs::create_directories(path.parent_path(), error) && error) {
        fail(path.parent_path(), "cannot be created: " + error.message());
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) {
        fail(path, "cannot be written");
    }
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "--no-source-checks") {
        g_source_checks = false;
        args.erase(args.begin());
    }
    if (args.size() != 2 && args.size() != 3) {
        std::cerr << "usage: vidb_embed [--no-source-checks] <migrations dir> <output.cpp> [<data dir>]\n";
        return 2;
    }
    const fs::path dir = args[0];
    if (!fs::is_directory(dir)) {
        fail(dir, "migrations folder not found (set -DVIDB_MIGRATIONS_DIR=<dir>)");
    }
    const fs::path output = args[1];
    const fs::path data_dir
        = args.size() == 3 ? fs::path(args[2]) : output.parent_path() / (output.stem().string() + "_data");
    const std::vector<Entry> entries = collect(dir);
    for (const Entry& entry : entries) {
        write_if_changed(data_dir / entry.file_name, entry.text);
    }
    write_if_changed(output, generate(entries, data_dir));
    return 0;
}
