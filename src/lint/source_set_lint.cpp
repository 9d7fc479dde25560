#include "lint/source_set_lint.h"

#include "lint/lint_set.h"

#include <filesystem>
#include <vector>

namespace vidb::lint {

std::optional<LintMode> parse_lint_mode(std::string_view text)
{
    if (text == "off") {
        return LintMode::off;
    }
    if (text == "warn") {
        return LintMode::warn;
    }
    if (text == "error") {
        return LintMode::error;
    }
    return std::nullopt;
}

int lint_source_set(
    const std::string& root, std::span<const migrate::SourceFile> files, LintMode mode, std::ostream& err)
{
    if (mode == LintMode::off) {
        return 0;
    }
    std::vector<LintInput> inputs;
    for (const migrate::SourceFile& file : files) {
        if (file.kind == migrate::EmbeddedKind::up) {
            // With the file's line numbers and the layout's own no-transaction marker.
            inputs.push_back(make_input(file, (std::filesystem::path(root) / file.file_name).string()));
        }
    }
    const LintRun run = lint_inputs(inputs, std::nullopt, { .minimum = Severity::warning });
    int fatal = 0;
    for (const Finding& finding : run.findings) {
        const bool is_fatal = mode == LintMode::error && finding.severity == Severity::error;
        fatal += is_fatal ? 1 : 0;
        err << finding.file << ':' << finding.line << ':' << finding.column << ": " << (is_fatal ? "error" : "warning")
            << ": " << finding.message << " [" << finding.rule << "]\n";
    }
    return fatal;
}

} // namespace vidb::lint
