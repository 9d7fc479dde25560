#pragma once

#include "db/connection.h"
#include "migrate/catalog.h"
#include "selftest/check_result.h"

#include <string>

namespace vidb::selftest {

// How long one project check may run, and wait for a lock held by the application.
inline constexpr const char* k_check_statement_timeout = "60s";
inline constexpr const char* k_check_lock_timeout = "5s";

// Runs one embedded checks/*.sql in its own transaction and always rolls it back, so it
// leaves no rows and no objects behind. It fails when a statement raises; the outcome
// names the file and line with the server's message, detail and hint. On a read-only
// server (`read_only_reason` not empty) a check that tries to write is skipped.
Outcome run_project_check(db::Connection& connection, const migrate::Check& check, const std::string& read_only_reason);

// The file line that PL/pgSQL's "... inline_code_block line N ..." context points at, for
// a DO statement whose text starts on file line `line`; 0 when it cannot tell.
std::size_t do_block_line(std::string_view statement, std::size_t line, const std::string& context);

} // namespace vidb::selftest
