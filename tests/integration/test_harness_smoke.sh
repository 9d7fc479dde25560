#!/usr/bin/env bash
# ctest-labels: tooling
# Proves the test harness works: an isolated database is created, reachable
# over TCP with a password, and dropped at exit. Does not need vidb.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
fresh_db

expect_eq "$(psql_val 'select 1')" 1 "select 1"
expect_eq "$(psql_val 'select current_database()')" "vidbtest_test_harness_smoke" "database"
expect_eq "$(psql_val "select count(*) from pg_tables where schemaname = 'public'")" 0 "tables in a fresh database"

# Password authentication over TCP is enforced (tests of bad credentials rely on it).
bad_url="postgresql://postgres:wrong-password@${DATABASE_URL#*@}"
run psql -X -w -At -d "$bad_url" -c 'select 1'
expect_rc 2
expect_err_contains "password authentication failed"
expect_not_contains_anywhere "wrong-password"

# Through PgBouncer (transaction pooling) when scripts/test-env.sh started one.
if [[ -n ${PGBOUNCER_URL:-} ]]; then
  run psql -X -w -At -d "$PGBOUNCER_URL" -c 'select 1'
  expect_rc 0
  expect_eq "$OUT" 1 "select 1 through pgbouncer"
fi

pass
