// libFuzzer target for vidb lint: any bytes, as a transactional or a no-transaction
// migration, lint without crashing, and every finding names a known rule at a position
// inside the file (issue 14, item 8).
#include "lint/linter.h"
#include "lint/rules.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view sql(reinterpret_cast<const char*>(data), size);
    const auto lines = static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '\n')) + 1;
    for (const bool no_transaction : { false, true }) {
        for (const auto& finding : vidb::lint::lint_migration("fuzz.up.sql", sql, no_transaction)) {
            check(vidb::lint::find_rule(finding.rule) != nullptr);
            check(finding.line >= 1 && finding.line <= lines);
            check(finding.column >= 1 && finding.column <= size + 1);
            check(!finding.message.empty());
        }
    }
    return 0;
}
