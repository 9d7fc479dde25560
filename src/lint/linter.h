#pragma once

#include "lint/finding.h"

#include <string_view>
#include <vector>

namespace vidb::lint {

struct LintOptions {
    // Findings below this severity are left out (info: everything).
    Severity minimum = Severity::info;
};

// Lints one migration file. `no_transaction`: the file carries -- vidb:no-transaction
// and runs outside a transaction, statement by statement; otherwise vidb runs it in one
// transaction with its lock_timeout. Findings are sorted by position; `file_name` is
// copied into each. Never throws on bad SQL (see parse.h); safe on any bytes.
std::vector<Finding> lint_migration(
    std::string_view file_name, std::string_view sql, bool no_transaction, const LintOptions& options = {});

} // namespace vidb::lint
