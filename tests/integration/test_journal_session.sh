#!/usr/bin/env bash
# ctest-labels: fixtures
# A no-transaction file's own session settings never stop vidb's journal writes: after a
# statement that did SET ROLE (to a role with no rights on vidb's tables) or made
# transactions read-only by default, the progress row still counts that statement, the
# history row is written, a failure later in the file is journaled at the statement
# where it happened, and `repair --resume` replays the file's earlier SET statements first
# -- so `status` tells the truth and a resume finishes what one run would have done.
# Without the isolation the progress write failed after the SET: the journal lagged one
# statement behind and a resume would have run a statement a second time.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
F=$VIDB_FIXTURE_DIR

role=vidb_notx_limited
psql_val "DROP ROLE IF EXISTS $role; CREATE ROLE $role" >/dev/null
export ADMIN_URL_FOR_ROLE=$DATABASE_URL # read by the at_exit below
at_exit "PSQL_URL=\$ADMIN_URL_FOR_ROLE psql_val 'DROP OWNED BY $role; DROP ROLE IF EXISTS $role' >/dev/null"

check_db() {
  local url=$1 lock=$2 # $3: name for a second database
  PSQL_URL=$url psql_val "GRANT CREATE ON SCHEMA public TO $role" >/dev/null
  # One run: 0001 completes, every statement counted, its history row written, its
  # journal row gone; 0002 starts clean (none of 0001's settings) and fails at its
  # fourth statement, after its own SET ROLE: journaled as 3 of 5 done.
  run env DATABASE_URL="$url" "$F/vidb_notx_session" migrate --lock-timeout "$lock"
  expect_rc 1
  expect_err_contains 'relation "notx_gate" does not exist'
  expect_eq "$(PSQL_URL=$url psql_val "select string_agg(version::text, ',') from vidb_schema_migrations")" 1 \
    "0001 recorded"
  expect_eq "$(PSQL_URL=$url psql_val "select tableowner from pg_tables where tablename = 'notx_probe_as_role'")" \
    "$role" "0001's SET ROLE applied to its own next statement"
  expect_eq "$(PSQL_URL=$url psql_val "select tableowner from pg_tables where tablename = 'notx_before'")" \
    "$(PSQL_URL=$url psql_val "select current_user")" "0002 started as the connecting role"
  expect_eq "$(PSQL_URL=$url psql_val "select version || ':' || statements_done || '/' || statements_total from vidb_migration_progress")" \
    "2:3/5" "the journal counts the three statements of 0002 that ran, nothing of 0001"
  run env DATABASE_URL="$url" "$F/vidb_notx_session" status
  expect_out_contains "3 of 5 statements ran; last error: relation \"notx_gate\" does not exist"
  run env DATABASE_URL="$url" "$F/vidb_notx_session" --json status
  python3 -c 'import json,sys; m=json.loads(sys.argv[1])["migrations"][1]; assert m["run"]=="failed" and not m["next_may_have_run"], m' "$OUT" ||
    fail "--json status: 0002 not failed"

  # The resume runs statements 4 and 5 under the SET ROLE of statement 2, replayed.
  PSQL_URL=$url psql_val "CREATE TABLE notx_gate (x int); GRANT SELECT ON notx_gate TO $role" >/dev/null
  run env DATABASE_URL="$url" "$F/vidb_notx_session" repair 2 --resume --lock-timeout "$lock"
  expect_rc 0
  expect_eq "$(PSQL_URL=$url psql_val "select tableowner from pg_tables where tablename = 'notx_third'")" \
    "$role" "the resumed statement ran under the file's SET ROLE"
  expect_eq "$(PSQL_URL=$url psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations")" \
    "1,2" "0002 recorded"
  expect_eq "$(PSQL_URL=$url psql_val "select count(*) from vidb_migration_progress")" 0 "no journal row left"

  # The down of 0001 (the same SETs) in a database of its own.
  fresh_db "${3}_down"
  PSQL_URL=$DATABASE_URL psql_val "GRANT CREATE ON SCHEMA public TO $role" >/dev/null
  run "$F/vidb_notx_session" migrate --to 1 --lock-timeout "$lock"
  expect_rc 0
  run "$F/vidb_notx_session" revert --lock-timeout "$lock"
  expect_rc 0
  expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 0 "0001 reverted"
  expect_eq "$(psql_val "select count(*) from vidb_migration_progress")" 0 "no journal row left"
  expect_eq "$(psql_val "select to_regclass('notx_probe') is null and to_regclass('notx_probe_as_role') is null")" \
    t "both tables dropped"
}

# With vidb's lock_timeout (a session setting it resets) and without one (nothing to reset).
fresh_db vidbtest_journal_session
check_db "$DATABASE_URL" 10s vidbtest_journal_session
fresh_db vidbtest_journal_session_nolock
check_db "$DATABASE_URL" 0 vidbtest_journal_session_nolock
pass
