#!/usr/bin/env bash
# ctest-labels: vidb
# On a read-only database (default_transaction_read_only, as on a hot standby) the
# checks that write are skipped with that reason and the rest still run: exit 0.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
fresh_db

run_vidb migrate
expect_rc 0
db=$(psql_val "select current_database()")
psql_val "alter database \"$db\" set default_transaction_read_only = on" >/dev/null
expect_eq "$(psql_val "show transaction_read_only")" on "read-only in new sessions"

reason="transactions are read-only here (default_transaction_read_only is on)"
run_vidb selftest --roundtrip
expect_rc 0
expect_check pass "server version" "$reason: checks that write are skipped"
expect_check skip "migrate privileges" "$reason: vidb migrate cannot write here"
expect_check skip "migrate privileges" "fix: default_transaction_read_only is on for database $db: ALTER DATABASE $db RESET default_transaction_read_only"
expect_check pass "history table"
expect_check pass "migrations applied"
expect_check pass "checks/010_projects_table.sql"
expect_check pass "checks/020_projects_columns.sql"
expect_check skip "checks/030_projects_create_read.sql" "it writes, and $reason"
expect_check skip "checks/040_projects_updated_at.sql" "it writes, and $reason"
expect_check pass "checks/050_projects_name_index.sql"
expect_check skip "roundtrip: apply all" "$reason: no scratch database can be created"
expect_summary 12 0 6

# Writable again: the same checks pass (so the skips above came from read-only mode).
PSQL_URL=$ADMIN_DATABASE_URL psql_val "alter database \"$db\" reset default_transaction_read_only" >/dev/null
run_vidb selftest
expect_rc 0
expect_check pass "checks/030_projects_create_read.sql"
expect_summary 15 0

pass
