#!/usr/bin/env bash
# ctest-labels: fixtures
# Session state a migration leaves behind never reaches vidb's own statements or the
# next migration: a real `pg_dump --schema-only` baseline (it empties search_path) is
# followed by an unqualified CREATE TABLE that lands in public, and a migration that
# does SET ROLE / statement_timeout = '1ms' / session_replication_role = replica /
# search_path / default_transaction_read_only leaves the history and the next
# migration untouched. Directly and through the transaction-pooling PgBouncer.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
F=$VIDB_FIXTURE_DIR

# session_leak's 0001 does SET ROLE to this role (it needs no privileges).
other=vidb_session_leak_other
psql_val "DROP ROLE IF EXISTS $other; CREATE ROLE $other" >/dev/null
export ADMIN_URL_FOR_ROLE=$DATABASE_URL # read by the at_exit below
at_exit "PSQL_URL=\$ADMIN_URL_FOR_ROLE psql_val 'DROP ROLE IF EXISTS $other' >/dev/null"

# baseline URL DB: the pg_dump baseline and the unqualified table after it.
baseline() {
  local url=$1
  run env DATABASE_URL="$url" "$F/vidb_pgdump_baseline" migrate
  expect_rc 0
  expect_eq "$(psql_val "select string_agg(version || ':' || (execution_ms is not null), ',' order by version) from public.vidb_schema_migrations")" \
    "1:true,2:true" "both recorded, with their times"
  expect_eq "$(psql_val "select to_regclass('public.notes') is not null, to_regclass('billing.invoices') is not null")" \
    "t|t" "0002's unqualified table landed in public"
  expect_eq "$(psql_val "select count(*) from pg_class where relname = 'notes'")" 1 "notes exists once"
  run env DATABASE_URL="$url" "$F/vidb_pgdump_baseline" status
  expect_rc 0
  expect_out_contains "2 applied, 0 pending"
  run env DATABASE_URL="$url" "$F/vidb_pgdump_baseline" migrate
  expect_rc 0
  expect_out_contains "up to date"
}

# leak URL: settings left by 0001 reach neither the history nor 0002/0003.
leak() {
  local url=$1
  run env DATABASE_URL="$url" "$F/vidb_session_leak" migrate
  expect_rc 0
  expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from public.vidb_schema_migrations")" \
    "1,2,3" "all three recorded"
  expect_eq "$(psql_val "select count(*) from public.vidb_schema_migrations where execution_ms is null")" 0 \
    "every history row got its time"
  expect_eq "$(psql_val "select to_regclass('public.leak_probe') is not null, to_regclass('public.after_probe') is not null")" \
    "t|t" "the next migrations ran in public"
  expect_eq "$(psql_val "select count(*) from public.vidb_migration_lock")" 0 "lock released"
  expect_eq "$(psql_val "select tableowner from pg_tables where tablename = 'leak_probe'")" \
    "$(psql_val "select current_user")" "0002 ran as the connecting role, not as $other"
  run env DATABASE_URL="$url" "$F/vidb_session_leak" status
  expect_rc 0
  expect_out_contains "3 applied, 0 pending"
}

fresh_db vidbtest_session_baseline
baseline "$DATABASE_URL"
fresh_db vidbtest_session_leak
leak "$DATABASE_URL"

# The session's DateStyle does not change how status shows times: always YYYY-MM-DD
# (a DMY or MDY style would print 03/04 that reads as either month).
run env PGOPTIONS="-c DateStyle=SQL,DMY" "$F/vidb_session_leak" --json status
expect_rc 0
python3 -c 'import json,re,sys; d=json.loads(sys.argv[1]); assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}[+-]\d\d", m["applied_at"]) for m in d["migrations"]), d' "$OUT" ||
  fail "--json status: applied_at not ISO under DateStyle=SQL,DMY"
run env PGOPTIONS="-c DateStyle=German" "$F/vidb_session_leak" status
expect_rc 0
expect_eq "$(grep -cE '^000[123] .* applied +[0-9]{4}-[0-9]{2}-[0-9]{2} ' <<<"$OUT")" 3 "status shows ISO dates under DateStyle=German"

# Revert runs vidb's history DELETE after the down file in the same way.
run "$F/vidb_session_leak" revert
expect_rc 0
expect_eq "$(psql_val "select count(*) from public.vidb_schema_migrations")" 2 "0003 reverted and its row removed"

# A search_path that names no existing schema: a clear error instead of guessing.
run env PGOPTIONS="-c search_path=no_such_schema" "$F/vidb_session_leak" status
expect_rc 1
expect_err_contains "no schema for vidb's history table: search_path (no_such_schema) names no existing schema"
expect_err_contains "--schema"

if [[ -n ${PGBOUNCER_URL:-} ]]; then
  fresh_db vidbtest_session_baseline_bouncer
  baseline "${PGBOUNCER_URL%/*}/vidbtest_session_baseline_bouncer"
  fresh_db vidbtest_session_leak_bouncer
  leak "${PGBOUNCER_URL%/*}/vidbtest_session_leak_bouncer"
fi
pass
