#pragma once

#include "db/connection.h"
#include "db/conninfo.h"
#include "lint/lint_set.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace vidb::lint {

// `vidb lint --trace`: facts from a real server instead of rules. In a scratch database
// (CREATE DATABASE vidb_lint_<random> through `admin`, dropped again whatever happens)
// the migrations up to `since` are applied; each later one then runs statement by
// statement inside a transaction that is rolled back, and after every statement
// pg_locks (for its own backend) and pg_class.relfilenode tell which lock modes it took
// on tables that existed before the migration and which of them it rewrote. Then it is
// applied for real, for the ones after it. A -- vidb:no-transaction migration runs for
// real, statement by statement: its rewrites are reported, its locks are gone by the
// time they could be read. Findings: trace-lock (info), trace-rewrite (warning), and
// trace-failed (warning) where a migration failed and the trace stopped.
std::vector<Finding> trace(db::Connection& admin, const db::Conninfo& conninfo, std::span<const LintInput> inputs,
    std::optional<migrate::MigrationVersion> since);

// "ShareLock" -> "SHARE", "AccessExclusiveLock" -> "ACCESS EXCLUSIVE".
std::string lock_mode_name(std::string_view pg_locks_mode);

} // namespace vidb::lint
