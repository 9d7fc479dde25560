#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vidb::lint {

// Ordered: a higher severity is worse. Exit 1 comes from `error` only.
enum class Severity { info, warning, error };

// "info", "warning", "error": the names in every output format.
const char* severity_name(Severity severity);
// "off" is no severity: nullopt for it and for anything unknown.
std::optional<Severity> parse_severity(std::string_view text);

// One thing the linter has to say about one statement.
struct Finding {
    std::string file; // as the migration is named to the user (0002_x.up.sql, or the path given)
    std::size_t line = 0; // 1-based
    std::size_t column = 0; // 1-based, in characters
    std::string rule; // a stable name from rules.h
    Severity severity = Severity::error;
    std::string message; // one line
};

// 1-based line and column (in UTF-8 characters, as editors count) of a byte offset.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset);

// Whether any finding is at least `severity`.
bool any_at_least(const std::vector<Finding>& findings, Severity severity);

} // namespace vidb::lint
