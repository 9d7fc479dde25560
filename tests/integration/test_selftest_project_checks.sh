#!/usr/bin/env bash
# ctest-labels: fixtures
# Project checks (checks/*.sql of a fixture built with its own migrations folder): each
# runs in a transaction that is rolled back, so rows written by passing and failing
# checks alike are gone afterwards; a failing one is reported with its file, line and
# the server's message, SQLSTATE, detail; COMMIT in a check is refused.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
VIDB_CHECKS="$VIDB_FIXTURE_DIR/vidb_selftest_failing_check"
fresh_db

run "$VIDB_CHECKS" migrate
expect_rc 0
psql_val "insert into projects (name) values ('one'), ('two'), ('three')" >/dev/null
count() { psql_val "select count(*) || ' rows: ' || string_agg(name, ',' order by name) from projects"; }
before=$(count)
expect_eq "$before" "3 rows: one,three,two" "rows before"

run "$VIDB_CHECKS" selftest
expect_rc 1
expect_check pass "checks/010_insert_passes.sql"
# The ASSERT on line 9 of the file; 020's own insert is visible to it (3 + 1), 010's is not.
expect_check fail "checks/020_assert_fails.sql" \
  "checks/020_assert_fails.sql:9: expected more than 1000 projects, found 4"
expect_out_contains "SQLSTATE P0004"
expect_out_contains "context: PL/pgSQL function inline_code_block line 6 at ASSERT"
# A server error with a position: the file's line, and a caret under the bad value.
expect_check fail "checks/030_server_error.sql" \
  "checks/030_server_error.sql:4: invalid input syntax for type uuid: \"not-a-uuid\""
expect_out_contains "4 | VALUES ('not-a-uuid', 'bad');"
expect_out_contains "SQLSTATE 22P02"
expect_check fail "checks/040_commits.sql" "checks/040_commits.sql:3: transaction control is not allowed in a check"
expect_summary 11 3

# Nothing written by any check survived.
expect_eq "$(count)" "$before" "rows after selftest"
expect_eq "$(psql_val "select count(*) from projects where name like 'from 0%' or name = 'would be committed'")" 0 \
  "rows written by checks"

# Machine formats name the file too.
run "$VIDB_CHECKS" selftest --format json
expect_rc 1
run python3 -c '
import json, sys
report = json.loads(sys.stdin.read())
bad = [c for c in report["checks"] if c["group"] == "project" and c["status"] == "fail"]
assert [c["file"] for c in bad] == ["checks/020_assert_fails.sql", "checks/030_server_error.sql", "checks/040_commits.sql"], bad
assert "found 4" in bad[0]["message"], bad[0]
print("ok")' <<<"$OUT"
expect_rc 0
expect_eq "$(count)" "$before" "rows after selftest --format json"

pass
