#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vidb::migrate {

// CRLF becomes LF so a Windows checkout embeds (and checksums) the same text.
std::string normalize_line_endings(std::string_view text);

// Why the bytes cannot be a migration (a BOM, invalid UTF-8, a NUL byte), or nothing.
std::optional<std::string> text_problem(std::string_view text);

// (The `-- vidb:no-transaction` directive is read by check_migration_source(), source_check.h.)

} // namespace vidb::migrate
