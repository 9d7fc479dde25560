#pragma once

#include "common/json.h"
#include "lint/lint_set.h"

#include <string>

namespace vidb::lint {

// Counts of a run's findings by severity.
struct Totals {
    int errors = 0;
    int warnings = 0;
    int infos = 0;
};
Totals totals(const LintRun& run);

// "file:line:column: severity: message [rule]", the form compilers use (editors and CI
// annotators jump to it). Severity coloured with `color`.
std::string text_line(const Finding& finding, bool color);
// "2 errors, 1 warning, 0 infos in 3 files".
std::string text_summary(const LintRun& run);

// {"ok", "files", "errors", "warnings", "infos", "findings": [{file, line, column, rule,
// severity, message}]}: the shape MIGRATIONS.md documents (issue 14).
Json findings_json(const LintRun& run);

} // namespace vidb::lint
