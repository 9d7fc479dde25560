#!/usr/bin/env bash
# ctest-labels: fixtures
# Twenty vidb migrate processes started at once (a fleet of containers) apply each
# migration exactly once and all exit 0, with a CREATE INDEX CONCURRENTLY migration in
# the set, directly and through a transaction-pooling PgBouncer. A vidb that waited to
# create vidb's tables while another created them changes nothing once it may: it does not
# wait behind a session reading the history (a fleet member), which deadlocked a fleet.
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
# The bootstrap's second comer. The lock table is missing (renamed away), so vidb B sets
# out to create the tables and waits on the bootstrap advisory lock, which session X
# holds while it puts the table back. Session Y reads the history and stays open, as a
# fleet member that found the tables complete does. Once X commits, B must find the
# tables complete and go on: re-running the DDL (an ALTER TABLE on the history table)
# would queue behind Y, which is how twenty at once deadlocked on PostgreSQL 18.
fresh_db vidbtest_concurrent_bootstrap
boot_url=$DATABASE_URL
run "$V" --url "$boot_url" migrate --to 1 # B has migrations to apply: it needs the tables
expect_rc 0
_psql -c "alter table vidb_migration_lock rename to lock_away"
psql -X -q -d "$boot_url" -c "begin; select pg_advisory_xact_lock(7170836021486940161);
  alter table lock_away rename to vidb_migration_lock; select pg_sleep(2); commit;" >/dev/null 2>&1 &
holder_x=$!
psql -X -q -d "$boot_url" -c "begin; select count(*) from vidb_schema_migrations; select pg_sleep(60); commit;" \
  >/dev/null 2>&1 &
reader_y=$!
at_exit "kill $reader_y $holder_x 2>/dev/null || true"
for _ in $(seq 1 100); do [[ $(active_sessions '%pg_sleep(2)%') == 1 && $(active_sessions '%pg_sleep(60)%') == 1 ]] && break; sleep 0.05; done
[[ $(active_sessions '%pg_sleep(2)%') == 1 && $(active_sessions '%pg_sleep(60)%') == 1 ]] || fail "sessions X and Y did not start"
"$V" --url "$boot_url" migrate >"$_tmp/boot.out" 2>"$_tmp/boot.err" &
boot=$!
wait "$holder_x" || fail "session X failed"
# B reaches 0007 (past the bootstrap), or is seen waiting on a table lock behind Y (the
# old behaviour): whichever comes first. Then Y ends (0007's CREATE INDEX CONCURRENTLY
# waits for every older transaction, Y's too), its backend too: a killed psql would
# leave pg_sleep running on the server.
blocked=0
for _ in $(seq 1 300); do
  kill -0 "$boot" 2>/dev/null || break
  waits=$(psql_val "select string_agg(l.locktype, ',') from pg_locks l join pg_stat_activity a using (pid) where a.datname = current_database() and a.application_name = 'vidb' and not l.granted")
  [[ $waits == *virtualxid* ]] && break # 0007's CREATE INDEX CONCURRENTLY waits for Y: past the bootstrap
  if [[ $waits == *relation* ]]; then
    blocked=1
    break
  fi
  sleep 0.05
done
psql_val "select count(pg_terminate_backend(pid)) from pg_stat_activity where query like '%pg_sleep(60)%' and pid <> pg_backend_pid()" >/dev/null
wait "$reader_y" 2>/dev/null || true
((blocked == 0)) || fail "the second vidb re-ran the bootstrap DDL and waited behind a reader of the history"
RC=0
wait "$boot" || RC=$?
OUT=$(<"$_tmp/boot.out") ERR=$(<"$_tmp/boot.err")
expect_rc 0
expect_out_contains "Applied 7 migrations"
pass
