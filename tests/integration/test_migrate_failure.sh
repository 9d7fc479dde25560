#!/usr/bin/env bash
# ctest-labels: fixtures
# A failing migration leaves nothing of itself behind, stops the run, and reports
# file:line:column with the SQL line, a caret, SQLSTATE and what was left.
source "$(dirname "$0")/lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_broken"

run "$V" migrate
expect_rc 1
expect_err_contains "migration 0002_broken failed: column \"no_such_column\" does not exist"
expect_err_contains "at 0002_broken.up.sql:3:8"
expect_err_contains "3 | SELECT no_such_column FROM accounts;"
expect_err_contains "  |        ^"
expect_err_contains "SQLSTATE 42703"
expect_err_contains "nothing of 0002_broken was applied"
[[ $(grep -c 'vidb: error:' <<<"$ERR") == 1 ]] || fail "expected exactly one error line"
expect_out_contains "applied  0001_create_accounts"
expect_eq "$(psql_val "select to_regclass('half_done') is null")" t "the failed migration's table was rolled back"
expect_eq "$(psql_val "select string_agg(version::text, ',') from vidb_schema_migrations")" "1"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock released after failure"

# Any bytes survive embedding: quotes, backslashes, )", UTF-8, a last line without newline.
fresh_db vidbtest_failure_syntax
run "$VIDB_FIXTURE_DIR/vidb_bytes" migrate
expect_rc 0
expect_eq "$(psql_val "select string_agg(t, '|' order by t collate \"C\") from weird")" ' )" \ ?? |")|back\slash|ünïcødé ✓'
pass
