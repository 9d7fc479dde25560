#!/usr/bin/env bash
# ctest-labels: fixtures
# Faults in the middle of a migration. Fixtures: faults_slow (0002 creates a table, then
# sleeps 5 s in its transaction) and faults_notx (0002 is a no-transaction file whose
# statement 2 sleeps 5 s); PGOPTIONS='-c vidb_test.sleep=0' makes a recovery run quick.
#   - a second migrate waits for the first, names it, gives up after --lock-wait-timeout (5);
#   - SIGINT / SIGTERM: rolled back, exit 130 / 143, lock released;
#   - SIGKILL: the server drops the orphaned transaction at once, nothing applied, the next
#     run takes the stale lock over and completes;
#   - the connection killed during a no-transaction file: exit 3 naming the statement,
#     the lock row released at once; status says "running now" before and, after, that
#     1 of 3 ran for certain and statement 2 may have completed; repair --resume finishes it;
#   - the server stopped mid-run (a throwaway cluster of our own): exit 3, one clear line;
#     after a restart the next run completes.
source "$(dirname "$0")/lib.sh"
fresh_db
SLOW="$VIDB_FIXTURE_DIR/vidb_faults_slow"
NOTX="$VIDB_FIXTURE_DIR/vidb_faults_notx"
export VIDB_LOCK_STALE_AFTER=2s
QUICK="-c vidb_test.sleep=0"

# vidb backends of this database sleeping in a migration (other tests share the server).
SLEEPING="select count(*) from pg_stat_activity where datname = current_database() and application_name = 'vidb'
          and state = 'active' and query like '%pg_sleep%'"

# start NAME CMD...: CMD in the background, output kept for finish; its pid in PID.
start() {
  local name=$1
  shift
  "$@" >"$_tmp/$name.out" 2>"$_tmp/$name.err" &
  PID=$!
  at_exit "kill -KILL $PID 2>/dev/null"
}

# finish NAME PID: wait for it; sets RC, OUT and ERR as run does.
finish() {
  RC=0
  wait "$2" 2>/dev/null || RC=$?
  OUT=$(<"$_tmp/$1.out")
  ERR=$(<"$_tmp/$1.err")
  _last="background $1"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_for SQL VALUE SECONDS: poll until SQL returns VALUE; false after SECONDS.
wait_for() {
  local deadline=$(($(now_ms) + $3 * 1000))
  until [[ $(psql_val "$1") == "$2" ]]; do
    (($(now_ms) < deadline)) || return 1
    sleep 0.1
  done
}

# Exactly one "vidb: error:" line; the rest indented detail or warnings; no crash output.
expect_one_error_line() {
  _checks=$((_checks + 1))
  [[ $(grep -c '^vidb: error: ' <<<"$ERR") == 1 ]] || fail "expected exactly one 'vidb: error:' line"
  ! grep -Ev '^(vidb: error: |vidb: warning: |  )' <<<"$ERR" | grep -q . || fail "unexpected stderr lines"
  [[ $ERR != *"terminate called"* && $ERR != *Sanitizer* && $ERR != *"runtime error"* ]] || fail "crashed"
}

count() { psql_val "select count(*) from $1"; }
absent() { psql_val "select to_regclass('$1') is null"; }

run "$SLOW" migrate --to 1
expect_rc 0

# --- A second migrate waits for the first, says who holds the lock, honours the timeout.
start first "$SLOW" migrate
first=$PID
wait_for "$SLEEPING" 1 10 || fail "the first migrate did not reach its pg_sleep"
t0=$(now_ms)
run "$SLOW" migrate --lock-wait-timeout 1s
elapsed=$(($(now_ms) - t0))
expect_rc 5
expect_err_contains "waiting for the migration lock held by"
expect_err_contains "pid $first since"
expect_err_contains "gave up waiting for the migration lock after"
expect_err_contains "s; it is held by"
expect_one_error_line
((elapsed >= 1000 && elapsed < 4000)) || fail "--lock-wait-timeout 1s took $elapsed ms"

# --- SIGINT while the first sleeps in its transaction: rollback, 130, lock released.
kill -INT "$first"
finish first "$first"
expect_rc 130
expect_err_contains "interrupted (SIGINT): 0002_slow was rolled back, nothing of it was applied"
expect_one_error_line
expect_eq "$(absent slow_items)" t "SIGINT: slow_items rolled back"
expect_eq "$(count vidb_schema_migrations)" 1 "SIGINT: history"
expect_eq "$(count vidb_migration_lock)" 0 "SIGINT: lock row released"
expect_eq "$(psql_val "$SLEEPING")" 0 "SIGINT: the server stopped the statement"

# --- SIGTERM: the same, exit 143.
start term "$SLOW" migrate
wait_for "$SLEEPING" 1 10 || fail "migrate did not reach its pg_sleep"
kill -TERM "$PID"
finish term "$PID"
expect_rc 143
expect_err_contains "terminated (SIGTERM): 0002_slow was rolled back, nothing of it was applied"
expect_one_error_line
expect_eq "$(absent slow_items)" t "SIGTERM: slow_items rolled back"
expect_eq "$(count vidb_schema_migrations)" 1 "SIGTERM: history"
expect_eq "$(count vidb_migration_lock)" 0 "SIGTERM: lock row released"

# --- SIGKILL: no handler runs. From PostgreSQL 14 the server must notice its client is
# gone and roll back within about a second (client_connection_check_interval), not run
# the migration on (and commit it) after the sleep. 13 has no such setting: the orphaned
# migration runs to its end, COMMIT included (one query), so it is applied and recorded
# together; history never shows one without the other.
start killed "$SLOW" migrate
wait_for "$SLEEPING" 1 10 || fail "migrate did not reach its pg_sleep"
kill -KILL "$PID"
finish killed "$PID"
expect_rc 137
if (($(psql_val "show server_version_num") >= 140000)); then
  wait_for "$SLEEPING" 0 3 || fail "the killed vidb's migration still runs on the server"
  expect_eq "$(absent slow_items)" t "SIGKILL: nothing of 0002 applied"
  expect_eq "$(count vidb_schema_migrations)" 1 "SIGKILL: history"
  applied_by="the next run"
else
  wait_for "$SLEEPING" 0 15 || fail "the killed vidb's migration did not end with its statement"
  expect_eq "$(count slow_items)" 2 "SIGKILL on 13: the orphaned migration ran to its end"
  expect_eq "$(count vidb_schema_migrations)" 2 "SIGKILL on 13: and its history row committed with it"
  applied_by="the orphaned run"
fi
expect_eq "$(count vidb_migration_lock)" 1 "SIGKILL: the dead run's lock row stays until it goes stale"
if [[ $applied_by == "the next run" ]]; then
  run env PGOPTIONS="$QUICK" "$SLOW" migrate
  expect_rc 0
  expect_err_contains "presumed dead: taking the lock over"
  expect_out_contains "applied  0002_slow"
  expect_eq "$(count vidb_migration_lock)" 0
else
  run "$SLOW" status
  expect_rc 0
  expect_out_contains "2 applied, 0 pending"
  run env PGOPTIONS="$QUICK" "$SLOW" migrate
  expect_rc 0
  expect_out_contains "Nothing to apply"
fi
expect_eq "$(count slow_items)" 2 "after SIGKILL: $applied_by applied 0002"
expect_eq "$(count vidb_schema_migrations)" 2

# --- The connection is killed while a no-transaction migration sleeps in statement 2.
fresh_db vidbtest_faults_notx
run "$NOTX" migrate --to 1
expect_rc 0
start notx "$NOTX" migrate
wait_for "$SLEEPING" 1 10 || fail "the no-transaction migration did not reach its pg_sleep"
# Meanwhile status says it is running, not that it stopped after statement 1.
run "$NOTX" status
expect_rc 0
expect_out_contains "running now: 1 of 3 statements done so far, by "
run "$NOTX" --json status
python3 -c 'import json,sys; m=json.loads(sys.argv[1])["migrations"][1]; assert m["run"]=="running" and "pid" in m["running_by"] and not m["next_may_have_run"], m' "$OUT" ||
  fail "--json status: 0002 not running"
expect_eq "$(psql_val "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database()
  and application_name = 'vidb' and state = 'active' and query like '%pg_sleep%'")" 1 "terminated vidb's backend"
finish notx "$PID"
expect_rc 3
expect_err_contains "lost the connection to the database: terminating connection due to administrator command"
expect_err_contains "at statement 2 of 3 of no-transaction migration 0002_notx_slow"
expect_err_contains "vidb repair 2 --resume"
expect_one_error_line
expect_eq "$(count vidb_migration_lock)" 0 "the lock row is released through a new connection"
run "$NOTX" status
expect_rc 0
expect_out_contains "partial"
# Statement 2 was cut short by the lost connection: status cannot know whether it
# completed, and says so instead of claiming it did not.
expect_out_contains "1 of 3 statements ran for certain; the run was cut short without recording an error"
expect_out_contains "statement 2 may have completed too"
run "$NOTX" --json status
python3 -c 'import json,sys; m=json.loads(sys.argv[1])["migrations"][1]; assert m["state"]=="partial" and m["statements_done"]==1 and m["statements_total"]==3 and m["run"]=="cut_short" and m["next_may_have_run"] and m["running_by"] is None, m' "$OUT" ||
  fail "--json status: 0002 not partial after 1 of 3"
expect_eq "$(psql_val "select to_regclass('accounts_email_idx') is not null")" t "statement 1 stays applied"
expect_eq "$(absent notx_after)" t "statement 3 did not run"
run env PGOPTIONS="$QUICK" "$NOTX" repair 2 --resume
expect_rc 0
expect_out_contains "resuming 0002_notx_slow after statement 1 of 3"
expect_eq "$(absent notx_after)" f "repair --resume ran statement 3"
expect_eq "$(count vidb_schema_migrations)" 2
expect_eq "$(count vidb_migration_progress)" 0
expect_eq "$(count vidb_migration_lock)" 0

# --- The server stops mid-run. A cluster of our own: stopping the shared one would break
# the tests running next to this one.
own=$(mktemp -d /tmp/vidb-faults-pg.XXXXXX)
at_exit "'$REPO_ROOT/scripts/pg-harness.sh' stop '$own' >/dev/null 2>&1; rm -rf '$own'"
"$REPO_ROOT/scripts/pg-harness.sh" start "$own" >"$_tmp/own.log" 2>&1 || fail "own cluster: $(cat "$_tmp/own.log")"
own_url=$(source "$own/env" && echo "$DATABASE_URL")
own_bin=$(source "$own/env" && echo "$PG_BINDIR")
pg_ctl_own() { runuser -u postgres -- "$own_bin/pg_ctl" -D "$own/data" -l "$own/server.log" -w -t 30 "$@" >/dev/null; }
run env DATABASE_URL="$own_url" "$SLOW" migrate --to 1
expect_rc 0
start stopped env DATABASE_URL="$own_url" "$SLOW" migrate
PSQL_URL=$own_url wait_for "$SLEEPING" 1 10 || fail "migrate on the own cluster did not reach its pg_sleep"
pg_ctl_own -m fast stop || fail "could not stop the own cluster"
finish stopped "$PID"
expect_rc 3
expect_err_contains "lost the connection to the database: terminating connection due to administrator command (while applying 0002_slow)"
expect_one_error_line
expect_not_contains_anywhere "$(source "$own/env" && echo "$PG_PASSWORD")"
run env DATABASE_URL="$own_url" "$SLOW" status
expect_rc 3
expect_err_contains "Connection refused"
expect_one_error_line
pg_ctl_own start || fail "could not restart the own cluster"
run env DATABASE_URL="$own_url" PGOPTIONS="$QUICK" "$SLOW" migrate
expect_rc 0
expect_out_contains "applied  0002_slow"
expect_eq "$(PSQL_URL=$own_url psql_val "select count(*) from vidb_schema_migrations")" 2 "after restart: all applied"
expect_eq "$(PSQL_URL=$own_url psql_val "select count(*) from slow_items")" 2
pass
