#!/usr/bin/env bash
# ctest-labels: fixtures
# Twenty vidb migrate processes started at once (a fleet of containers) apply each
# migration exactly once and all exit 0, with a CREATE INDEX CONCURRENTLY migration in
# the set, directly and through a transaction-pooling PgBouncer.
source "$(dirname "$0")/lib.sh"
V="$VIDB_FIXTURE_DIR/vidb_concurrent"

fleet() {
  local url=$1 i pids=() failed=0
  for i in $(seq 1 20); do
    "$V" --url "$url" migrate >"$_tmp/fleet.$i.out" 2>"$_tmp/fleet.$i.err" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      failed=$((failed + 1))
      echo "--- process $((i + 1)) failed:" >&2
      cat "$_tmp/fleet.$((i + 1)).err" >&2
    fi
  done
  [[ $failed == 0 ]] || fail "$failed of 20 concurrent migrate runs failed"
}

check_applied_once() {
  expect_eq "$(psql_val "select count(*), count(distinct version) from vidb_schema_migrations")" "8|8"
  expect_eq "$(psql_val "select count(*) from fleet_03")" 2000 "each data migration ran once"
  expect_eq "$(psql_val "select count(*) from pg_index where not indisvalid")" 0 "no invalid index"
  expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock released"
  expect_eq "$(cat "$_tmp"/fleet.*.out | grep -c 'applied  ' || true)" 8 "the fleet applied 8 migrations in all"
}

fresh_db
fleet "$DATABASE_URL"
check_applied_once

if [[ -n ${PGBOUNCER_URL:-} ]]; then
  fresh_db vidbtest_concurrent_bouncer
  bouncer_url="${PGBOUNCER_URL%/*}/vidbtest_concurrent_bouncer"
  fleet "$bouncer_url"
  check_applied_once
fi
pass
