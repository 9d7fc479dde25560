#!/usr/bin/env bash
# ctest-labels: fixtures
# The -- vidb:no-transaction directive is recognised anywhere in the comments before the
# first statement (below `vidb new`'s header, after a blank line, with a space after
# `vidb:`), and a statement that cannot run in a transaction (25001) in a file without it
# fails with the advice to add it. Misplaced and misspelt directives fail the build
# (test_source_checks.sh).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
fresh_db
V=$VIDB_FIXTURE_DIR/vidb_no_transaction_directive

run "$V" list
expect_out_contains "0002_index_events_kind  no-transaction"
[[ $OUT != *"0003_index_events_at  no-transaction"* ]] || fail "0003 has no directive"

run "$V" migrate
expect_rc 1
# 0002 ran outside a transaction: CREATE INDEX CONCURRENTLY built a valid index.
expect_eq "$(psql_val "select indisvalid from pg_index where indexrelid = 'events_kind_idx'::regclass")" t \
  "events_kind_idx is valid"
# 0003 forgot the directive.
expect_err_contains "migration 0003_index_events_at failed: CREATE INDEX CONCURRENTLY cannot run inside a transaction block"
expect_err_contains "SQLSTATE 25001"
expect_err_contains "advice: this statement cannot run in a transaction; put \`-- vidb:no-transaction\` as the first line of 0003_index_events_at.up.sql"
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations")" "1,2" \
  "applied versions"
expect_eq "$(psql_val "select to_regclass('events_at_idx') is null")" t "events_at_idx"

# The down file's `--vidb:no-transaction` (no space) is recognised too: DROP INDEX
# CONCURRENTLY cannot run in a transaction either.
run "$V" revert
expect_rc 0
expect_eq "$(psql_val "select to_regclass('events_kind_idx') is null")" t "events_kind_idx after revert"
pass
