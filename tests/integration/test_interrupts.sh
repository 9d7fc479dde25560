#!/usr/bin/env bash
# ctest-labels: fixtures
# Ctrl-C belongs to the connection doing the work (db/interrupt.h): SIGINT while vidb waits
# for another's migration lock, and while a no-transaction file's statement sleeps, stops
# vidb at once with exit 130 and a history that says what happened. (Ctrl-C during
# selftest --roundtrip, whose scratch connection takes the signal over and hands it back,
# is test_selftest_roundtrip.sh.) A wait that never ends would hit this test's timeout.
source "$(dirname "$0")/lib.sh"
fresh_db
NOTX="$VIDB_FIXTURE_DIR/vidb_faults_notx"
SLEEPING="select count(*) from pg_stat_activity where datname = current_database() and application_name = 'vidb'
          and state = 'active' and query like '%pg_sleep%'"

# wait_for SQL VALUE: poll until SQL returns VALUE (20 s at most).
wait_for() {
  local i
  for ((i = 0; i < 200; i++)); do
    [[ $(psql_val "$1") == "$2" ]] && return 0
    sleep 0.1
  done
  return 1
}

# interrupt NAME: SIGINT to the background vidb in $PID, then collect it like run does.
interrupt() {
  kill -INT "$PID"
  RC=0
  wait "$PID" 2>/dev/null || RC=$?
  OUT=$(<"$_tmp/$1.out") ERR=$(<"$_tmp/$1.err") _last="background $1 (SIGINT)"
}

# --- Waiting for the lock of a live vidb (a fresh heartbeat) is interruptible.
run "$NOTX" migrate --to 1
expect_rc 0
psql_val "insert into vidb_migration_lock (id, owner, holder) values (1, 'other', 'deploy-7@ci')" >/dev/null
"$NOTX" migrate >"$_tmp/wait.out" 2>"$_tmp/wait.err" &
PID=$!
at_exit "kill -KILL $PID 2>/dev/null"
sleep 1
psql_val "update vidb_migration_lock set heartbeat_at = now()" >/dev/null
interrupt wait
expect_rc 130
expect_err_contains "interrupted (SIGINT)"
expect_eq "$(psql_val "select holder from vidb_migration_lock")" "deploy-7@ci" "the other's lock row is untouched"
expect_eq "$(psql_val "select count(*) from vidb_migration_progress")" 0 "nothing started"
psql_val "delete from vidb_migration_lock" >/dev/null

# --- A no-transaction statement is cancelled on the server, and the journal says where.
"$NOTX" migrate >"$_tmp/notx.out" 2>"$_tmp/notx.err" &
PID=$!
at_exit "kill -KILL $PID 2>/dev/null"
wait_for "$SLEEPING" 1 || fail "statement 2 never started sleeping"
interrupt notx
expect_rc 130
expect_err_contains "failed at statement 2 of 3"
expect_eq "$(psql_val "$SLEEPING")" 0 "the server stopped the statement"
expect_eq "$(psql_val "select statements_done from vidb_migration_progress where version = 2")" 1 "journal: 1 of 3"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock row released"
run "$NOTX" status
expect_out_contains "partial"
PGOPTIONS="-c vidb_test.sleep=0" run "$NOTX" repair 2 --resume
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "resumed and recorded"
pass
