#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vidb::migrate {

// Why a migration file cannot run as written, at a line of the file.
struct SourceProblem {
    std::size_t line = 0;
    std::string message; // what is wrong and what to do, without the file's name
};

// What vidb makes of a migration file before sending it. The same check runs in the
// build-time embedder (the build fails) and in the Catalog at run time (migrate and
// revert refuse), so a binary whose files no embedder checked is safe too.
struct SourcePlan {
    // `-- vidb:no-transaction` in the comments before the first statement.
    bool no_transaction = false;
    // The text to send, when it differs from the file: pg_dump's `\restrict` and
    // `\unrestrict` lines and a single outer `BEGIN;` ... `COMMIT;` pair of a transactional
    // file are blanked with spaces. Same length, lines and character positions as the
    // file, so server error positions still point into the file.
    std::optional<std::string> run_sql;
    // In line order; empty when the file may run.
    std::vector<SourceProblem> problems;
};

// Checks a migration file's (LF-normalised) text:
// - transaction control (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT,
//   PREPARE TRANSACTION, SET TRANSACTION, SET SESSION CHARACTERISTICS) at the top level
//   of a transactional file, which would commit or end the transaction that holds the
//   history row; ROLLBACK TO, SAVEPOINT and RELEASE are fine;
// - COPY ... FROM STDIN / TO STDOUT (vidb sends no COPY data and reads none);
// - psql meta-commands (a backslash outside quotes and comments);
// - `vidb:` directives after the first statement, unknown or misspelt ones, and ones in
//   a /* */ comment.
SourcePlan check_migration_source(std::string_view text);

// allow: `-- vidb:allow <rule> <reason>`, a waiver for `vidb lint` (lint/waivers.h), anywhere.
enum class DirectiveKind { none, no_transaction, allow, unknown };

struct Directive {
    DirectiveKind kind = DirectiveKind::none;
    std::string word; // as written after `vidb:`, for messages
};

// Reads one comment, including its `--` or `/*`: `--` and `vidb:` may be followed by
// spaces, `vidb:` and the word are case-insensitive, anything after the word must be
// separated by a space. Not a directive (kind none) unless the text starts with `vidb:`.
Directive parse_directive(std::string_view comment);

} // namespace vidb::migrate
