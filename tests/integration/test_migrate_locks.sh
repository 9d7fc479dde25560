#!/usr/bin/env bash
# ctest-labels: fixtures
# lock_timeout: a migration waiting on a busy table fails fast with advice, changes
# nothing, and succeeds with --lock-retries once the table is free. The migration lock:
# a waiter says who holds it and honours --lock-wait-timeout; a silent holder is taken over;
# vidb unlock removes a dead holder's row; every error path releases the row; a revert
# whose lock was taken over stops before its next migration.
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

# vidb unlock: shows the holder; refuses a live one (fresh heartbeat) unless --force.
run "$V" unlock
expect_rc 0
expect_out_contains "No migration lock is held"
psql_val "insert into vidb_migration_lock (owner, holder) values ('x', 'deploy-bot@ci-runner-7 pid 4242')" >/dev/null
run "$V" unlock
expect_rc 4
expect_err_contains "refusing to remove the migration lock: it is held by deploy-bot@ci-runner-7 pid 4242 since"
expect_err_contains "(last heartbeat "
expect_err_contains "vidb unlock --force"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 1 "refused unlock kept the row"
run "$V" unlock --force
expect_rc 0
expect_out_contains "Removed the migration lock held by deploy-bot@ci-runner-7 pid 4242"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0
psql_val "insert into vidb_migration_lock (owner, holder, heartbeat_at) values ('x', 'gone@host pid 1', now() - interval '5 minutes')" >/dev/null
run "$V" unlock
expect_rc 0
expect_out_contains "Removed the migration lock held by gone@host pid 1"
expect_out_contains "(last heartbeat 30"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0

# Every error path releases the lock row: right after a failed migrate (exit 1).
fresh_db vidbtest_locks_failed
run "$VIDB_FIXTURE_DIR/vidb_broken" migrate
expect_rc 1
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "0001 applied before the failure"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock released after exit 1"

# A revert that loses its lock stops before the next migration. The takeover is the
# row changing owners (as when a waiter presumed this run dead); the heartbeat, every
# 200 ms with VIDB_LOCK_STALE_AFTER=1s, notices it.
fresh_db vidbtest_locks_revert
S="$VIDB_FIXTURE_DIR/vidb_slow_revert"
run "$S" migrate
expect_rc 0
VIDB_LOCK_STALE_AFTER=1s "$S" revert --all >"$_tmp/revert.out" 2>"$_tmp/revert.err" &
reverting=$!
at_exit "kill $reverting 2>/dev/null"
for _ in $(seq 1 50); do
  [[ $(active_sessions '%pg_sleep%') == 1 ]] && break
  sleep 0.1
done
psql_val "update vidb_migration_lock set owner = 'intruder', holder = 'other@host pid 7'" >/dev/null
RC=0
wait "$reverting" || RC=$?
OUT=$(<"$_tmp/revert.out") ERR=$(<"$_tmp/revert.err") _last="revert --all (background)"
expect_rc 1
expect_err_contains "lost the migration lock: another vidb took it over"
expect_err_contains "stopped before reverting 0002_t2"
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations")" "1,2" "only 0003 reverted"
expect_eq "$(psql_val "select to_regclass('t2') is not null and to_regclass('t3') is null")" t
expect_eq "$(psql_val "select holder from vidb_migration_lock")" "other@host pid 7" "the new holder's row is left alone"

# The same between two statements of a no-transaction file: it stops there, partial.
fresh_db vidbtest_locks_notx
N="$VIDB_FIXTURE_DIR/vidb_faults_notx"
run "$N" migrate --to 1
expect_rc 0
PGOPTIONS="-c vidb_test.sleep=2" VIDB_LOCK_STALE_AFTER=1s "$N" migrate >"$_tmp/notx.out" 2>"$_tmp/notx.err" &
migrating=$!
at_exit "kill $migrating 2>/dev/null"
for _ in $(seq 1 50); do
  [[ $(active_sessions '%pg_sleep%') == 1 ]] && break
  sleep 0.1
done
psql_val "update vidb_migration_lock set owner = 'intruder', holder = 'other@host pid 7'" >/dev/null
RC=0
wait "$migrating" || RC=$?
OUT=$(<"$_tmp/notx.out") ERR=$(<"$_tmp/notx.err") _last="migrate (background)"
expect_rc 1
expect_err_contains "lost the migration lock: another vidb took it over"
expect_err_contains "stopped before statement 3 of 3 of 0002_notx_slow (it is partial now: vidb repair 2 --resume finishes it)"
expect_eq "$(psql_val "select statements_done || '/' || statements_total from vidb_migration_progress")" "2/3" "journaled as partial"
expect_eq "$(psql_val "select to_regclass('notx_after') is null")" t "statement 3 did not run"
pass
