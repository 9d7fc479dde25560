#!/usr/bin/env bash
# ctest-labels: fixtures
# lock_timeout: a migration waiting on a busy table fails fast with advice, changes
# nothing, and succeeds with --lock-retries once the table is free. The migration lock:
# a waiter says who holds it and honours --lock-wait-timeout; a silent holder is taken over.
source "$(dirname "$0")/lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_core"
run "$V" migrate --to 1
expect_rc 0

# Another session holds accounts until the test terminates it below (no fixed time:
# a loaded machine must not turn "waits for the lock" into "the lock was free").
psql -X -q -d "$DATABASE_URL" -c "begin; lock table accounts in access exclusive mode; select pg_sleep(300); commit;" >/dev/null 2>&1 &
holder=$!
at_exit "kill $holder 2>/dev/null"
HELD="select l.pid from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'accounts' and l.mode = 'AccessExclusiveLock' and l.granted"
for _ in $(seq 1 600); do
  [[ -n $(psql_val "$HELD") ]] && break
  sleep 0.1
done
[[ -n $(psql_val "$HELD") ]] || fail "the other session never got its lock on accounts"
run "$V" migrate --to 2 --lock-timeout 500ms
expect_rc 1
expect_err_contains "SQLSTATE 55P03"
expect_err_contains "lock_timeout (500ms)"
expect_err_contains "--lock-retries"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "nothing applied on lock timeout"

# With retries it waits the lock out: the holder ends once vidb has retried.
"$V" migrate --to 2 --lock-timeout 500ms --lock-retries 5 >"$_tmp/retry.out" 2>"$_tmp/retry.err" &
retrier=$!
for _ in $(seq 1 600); do
  grep -q retrying "$_tmp/retry.err" && break
  sleep 0.1
done
psql_val "select pg_terminate_backend(($HELD limit 1))" >/dev/null
RC=0
wait "$retrier" || RC=$?
OUT=$(<"$_tmp/retry.out") ERR=$(<"$_tmp/retry.err") _last="migrate --to 2 --lock-timeout 500ms --lock-retries 5"
expect_rc 0
expect_err_contains "retrying"
wait "$holder" || true

# The migration lock: a live holder (fresh heartbeat) makes others wait and say who.
psql_val "insert into vidb_migration_lock (owner, holder) values ('x', 'deploy-bot@ci-runner-7 pid 4242')" >/dev/null
run "$V" migrate --lock-wait-timeout 1s
expect_rc 5
expect_err_contains "waiting for the migration lock held by deploy-bot@ci-runner-7 pid 4242"
expect_err_contains "gave up waiting for the migration lock"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2

# A holder silent for longer than VIDB_LOCK_STALE_AFTER is presumed dead and taken over.
psql_val "update vidb_migration_lock set heartbeat_at = now() - interval '1 hour'" >/dev/null
run "$V" migrate
expect_rc 0
expect_err_contains "presumed dead"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 5
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0
pass
