#include "lint/lint_set.h"

#include "common/error.h"
#include "migrate/file_name.h"
#include "migrate/source_check.h"
#include "migrate/source_folder.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace vidb::lint {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(ExitCode::failure, path.string() + ": cannot be read");
    }
    std::string text { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
    // As the embedder does: CRLF becomes LF, so positions are those of the embedded file.
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        }
        out += text[i];
    }
    return out;
}

} // namespace

LintInput make_input(std::string file, migrate::MigrationVersion version, std::string_view text)
{
    const migrate::SourcePlan plan = migrate::check_migration_source(text);
    LintInput input { std::move(file), plan.run_sql ? *plan.run_sql : std::string(text), plan.no_transaction, version,
        {} };
    for (const auto& problem : plan.problems) {
        input.problems.emplace_back(problem.line, problem.message);
    }
    return input;
}

LintInput make_input(std::string file, migrate::MigrationVersion version, std::string_view text, std::size_t first_line,
    bool layout_no_transaction)
{
    LintInput input = make_input(std::move(file), version, std::string(first_line - 1, '\n') + std::string(text));
    input.no_transaction = input.no_transaction || layout_no_transaction;
    return input;
}

LintInput make_input(const migrate::SourceFile& file, std::string shown)
{
    return make_input(std::move(shown), file.version, file.text, file.first_line, file.no_transaction);
}

std::vector<LintInput> inputs_from_paths(std::span<const std::string> paths)
{
    std::vector<LintInput> inputs;
    for (const std::string& path : paths) {
        std::error_code error;
        if (fs::is_directory(path, error)) {
            const auto raw = migrate::read_raw_source_folder(path);
            // The lint reports the source checks' problems itself, as findings.
            const auto files = migrate::parse_source_files(raw, path, { .source_checks = false });
            for (const auto& file : files) {
                if (file.kind == migrate::EmbeddedKind::up) {
                    inputs.push_back(make_input(file, (fs::path(path) / file.file_name).string()));
                }
            }
        } else if (fs::is_regular_file(path, error)) {
            const auto name = migrate::parse_file_name(fs::path(path).filename().string());
            inputs.push_back(make_input(path,
                name.value ? migrate::MigrationVersion(name.value->version) : migrate::MigrationVersion(),
                read_file(path)));
        } else {
            throw Error(ExitCode::failure, path + ": no such file or folder");
        }
    }
    return inputs;
}

LintRun lint_inputs(
    std::span<const LintInput> inputs, std::optional<migrate::MigrationVersion> since, const LintOptions& options)
{
    LintRun run;
    for (const LintInput& input : inputs) {
        if (since && input.version != migrate::MigrationVersion() && input.version <= *since) {
            continue;
        }
        run.files.push_back(input.file);
        const auto first = static_cast<std::ptrdiff_t>(run.findings.size());
        for (const auto& [line, message] : input.problems) {
            if (Severity::error >= options.minimum) {
                run.findings.push_back({ input.file, line, 1, "source-check", Severity::error, message });
            }
        }
        auto findings = lint_migration(input.file, input.sql, input.no_transaction, options);
        run.findings.insert(
            run.findings.end(), std::make_move_iterator(findings.begin()), std::make_move_iterator(findings.end()));
        std::stable_sort(run.findings.begin() + first, run.findings.end(),
            [](const Finding& a, const Finding& b) { return std::tie(a.line, a.column) < std::tie(b.line, b.column); });
    }
    return run;
}

} // namespace vidb::lint
