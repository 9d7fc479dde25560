#!/usr/bin/env bash
# ctest-labels: fixtures
# Secrets while vidb works, with a role and password of this test's own (no other test
# knows it, so a hit is ours): no process command line carries the password while
# `vidb migrate` runs a slow migration, and no command's --json output (or error) shows it.
# (.vidb/ permissions and contents: test_localdb_lifecycle.sh; error paths: test_secrets.sh,
# test_bad_input.sh.)
source "$(dirname "$0")/lib.sh"
require_db
role=vidbtest_secret_probe
password="Pr0be$(openssl rand -hex 12)"
# Registered before fresh_db: runs after the database (which the role owns) is dropped.
# shellcheck disable=SC2016  # expanded at exit, on purpose
at_exit 'echo "DROP ROLE IF EXISTS $role;" | PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null 2>&1'
fresh_db
db=$(psql_val "select current_database()")
# Through stdin: on psql's command line the password would show in ps.
printf "DROP ROLE IF EXISTS %s;\nCREATE ROLE %s LOGIN CREATEDB PASSWORD '%s';\nALTER DATABASE %s OWNER TO %s;\n" \
  "$role" "$role" "$password" "$db" "$role" | PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null ||
  fail "cannot create role $role"
url="postgresql://$role:$password@${DATABASE_URL#*@}"
SLOW="$VIDB_FIXTURE_DIR/vidb_faults_slow"
printf '%s\n' "$password" >"$_tmp/pattern" # grep -f: on grep's command line it would find itself

no_password() {
  expect_not_contains_anywhere "$password"
}

# --- Process command lines while a migration runs (10 s of pg_sleep in 0002_slow: time
# enough to see it sleep on a loaded machine, where each psql takes a while).
DATABASE_URL=$url PGOPTIONS="-c vidb_test.sleep=10" "$SLOW" migrate >"$_tmp/mig.out" 2>"$_tmp/mig.err" &
pid=$!
at_exit "kill -KILL $pid 2>/dev/null"
SLEEPING="select count(*) from pg_stat_activity where datname = current_database() and usename = '$role'
          and state = 'active' and query like '%pg_sleep%'"
for _ in $(seq 1 300); do
  [[ $(psql_val "$SLEEPING") == 1 ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[[ $(psql_val "$SLEEPING") == 1 ]] || fail "the migration did not reach its pg_sleep"
for _ in 1 2 3 4 5; do
  {
    ps -eo pid,ppid,args
    { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null || true # gone: the check below says so
    echo
  } >>"$_tmp/ps"
  sleep 0.2
done
grep -q "vidb_faults_slow migrate" "$_tmp/ps" || fail "ps did not see vidb running"
_checks=$((_checks + 1))
! grep -qF -f "$_tmp/pattern" "$_tmp/ps" || fail "the password is on a process command line: $(grep -F -f "$_tmp/pattern" "$_tmp/ps" | cut -c1-200)"
RC=0
wait "$pid" || RC=$?
OUT=$(<"$_tmp/mig.out") ERR=$(<"$_tmp/mig.err") _last="migrate (slow)"
expect_rc 0
no_password

# --- --json output of every command, successes and failures alike.
project=$_tmp/project
mkdir -p "$project/sql"
json_cmd() { # EXPECTED-RC ARGS...: vidb --json ARGS with the role's URL
  local want=$1
  shift
  # shellcheck disable=SC2016  # the inner script's own "$1" and "$@"
  run env DATABASE_URL="$url" PGOPTIONS="-c vidb_test.sleep=0" bash -c 'cd "$1" && shift && exec "$@"' _ "$project" \
    "$SLOW" --json "$@"
  expect_rc "$want"
  no_password
  if [[ $want == 0 && $1 != show ]]; then
    _checks=$((_checks + 1))
    python3 -c 'import json,sys; json.loads(sys.argv[1])' "$OUT" || fail "--json $*: stdout is not JSON"
  fi
}
json_cmd 0 ping
json_cmd 0 wait --timeout 5s
json_cmd 0 status
json_cmd 0 list
json_cmd 0 version
json_cmd 0 show 2
json_cmd 0 migrate --dry-run
json_cmd 0 migrate
json_cmd 0 revert --dry-run
json_cmd 0 revert
json_cmd 0 migrate
json_cmd 0 redo
json_cmd 0 selftest
json_cmd 0 selftest --roundtrip # a scratch database, connected to with the same password
json_cmd 2 repair 2 --resume
json_cmd 0 reset --yes
json_cmd 0 new add_things
json_cmd 3 --url "postgresql://$role:x$password@${DATABASE_URL#*@}" status
json_cmd 3 --url "postgresql://$role:$password@127.0.0.1:1/$db" migrate
json_cmd 2 --url "postgresql://$role:$password%zz@127.0.0.1:1/$db" ping
[[ -f $(echo "$project"/sql/*_add_things.up.sql) ]] || fail "new did not create the file"
! grep -rqF -f "$_tmp/pattern" "$project" || fail "the password is in a file vidb new wrote"
pass
