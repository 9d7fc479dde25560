#pragma once

#include "migrate/source_folder.h"

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace vidb::lint {

// What the build-time embedder (-DVIDB_LINT) and `vidb pack --lint` do with findings:
// nothing, print them as warnings, or print them and fail on an error-level one.
enum class LintMode { off, warn, error };
std::optional<LintMode> parse_lint_mode(std::string_view text); // "off", "warn", "error"

// Lints the up migrations of a folder read by parse_source_files() (ROOT prefixes the
// file names) and prints every warning or error finding to `err` as compilers do
// (ROOT/file:line:column: warning|error: message [rule]), so IDEs and CI annotate them.
// Returns how many findings are fatal: error findings in LintMode::error, else 0.
int lint_source_set(
    const std::string& root, std::span<const migrate::SourceFile> files, LintMode mode, std::ostream& err);

} // namespace vidb::lint
