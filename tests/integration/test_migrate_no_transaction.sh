#!/usr/bin/env bash
# ctest-labels: fixtures
# A `-- vidb:no-transaction` file runs statement by statement. When one fails part way,
# the output says which statements ran, status shows the migration as partial, migrate
# refuses until it is repaired, and both documented recoveries work.
source "$(dirname "$0")/lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_notx_fail"

run "$V" migrate
expect_rc 1
expect_err_contains "migration 0002_partial failed at statement 2 of 3 (line 4): relation \"audit\" does not exist"
expect_err_contains "statements 1-1 of 3 ran and stay applied"
expect_err_contains "vidb repair 2 --resume"
expect_eq "$(psql_val "select to_regclass('accounts_email_idx') is not null")" t "statement 1 ran"
expect_eq "$(psql_val "select to_regclass('after_partial') is null")" t "statement 3 did not run"

run "$V" status
expect_rc 0
expect_out_contains "partial"
expect_out_contains "1 of 3 statements ran"
run "$V" --json status
python3 -c 'import json,sys; m=json.loads(sys.argv[1])["migrations"][1]; assert m["state"]=="partial" and m["statements_done"]==1, m' "$OUT" || fail "json partial"

run "$V" migrate
expect_rc 4
expect_err_contains "partially applied: 1 of 3 statements ran"

# Recovery 1: fix the cause, resume from statement 2.
psql_val "create table audit (at timestamptz)" >/dev/null
run "$V" repair 2 --resume
expect_rc 0
expect_eq "$(psql_val "select to_regclass('after_partial') is not null")" t
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations where version = 2")" 1
expect_eq "$(psql_val "select count(*) from vidb_migration_progress")" 0
run "$V" status
expect_out_contains "2 applied, 0 pending"

# Recovery 2: undo by hand and forget, then migrate runs it from the start.
fresh_db vidbtest_notx_forget
run "$V" migrate
expect_rc 1
psql_val "drop index accounts_email_idx" >/dev/null
run "$V" repair 2 --forget
expect_rc 0
run "$V" repair 2 --forget
expect_rc 2
expect_err_contains "not partially applied"
psql_val "create table audit (at timestamptz)" >/dev/null
run "$V" migrate
expect_rc 0
expect_out_contains "statement 3/3"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2
pass
