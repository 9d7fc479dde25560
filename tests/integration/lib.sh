# shellcheck shell=bash
# Helpers for shell integration tests run by CTest. Source it first:
#
#   source "$(dirname "$0")/lib.sh"
#   require_db                # exit 77 (CTest SKIP) without DATABASE_URL
#   fresh_db                  # isolated database named after the test
#   run_vidb migrate          # sets OUT, ERR, RC; never aborts
#   expect_rc 0
#   expect_out_contains "applied"
#   [[ $(psql_val 'select count(*) from t') == 3 ]] || fail "expected 3 rows"
#   pass
#
# Environment: VIDB (the executable; default build/vidb), DATABASE_URL (an
# admin URL of a throwaway cluster, see scripts/test-env.sh).
set -euo pipefail

TEST_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# VIDB_TEST_BINARY (e.g. dist/vidb) overrides the VIDB that CTest passes.
VIDB=${VIDB_TEST_BINARY:-${VIDB:-$REPO_ROOT/build/vidb}}
OUT="" ERR="" RC=0 _last=""
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}
_checks=0
_cleanups=()
_tmp=$(mktemp -d)

# at_exit CMD: run CMD (a string, eval'd) when the test exits, last first.
at_exit() { _cleanups=("$1" "${_cleanups[@]}"); }
_run_cleanups() {
  local rc=$? c
  trap - EXIT
  for c in "${_cleanups[@]}"; do eval "$c" || true; done
  rm -rf "$_tmp"
  exit "$rc"
}
trap _run_cleanups EXIT
trap 'echo "FAIL $TEST_NAME:$LINENO: command failed (exit $?): $BASH_COMMAND" >&2' ERR

# The line in the test script (not in this file) that called us.
_caller_line() {
  local i
  for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
    [[ ${BASH_SOURCE[i]} == "${BASH_SOURCE[0]}" ]] || { echo "${BASH_LINENO[i - 1]}"; return; }
  done
  echo "?"
}

fail() {
  trap - ERR
  {
    echo "FAIL $TEST_NAME:$(_caller_line): $*"
    if [[ -n $_last ]]; then
      echo "--- last command: $(sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#g' <<<"$_last") (exit $RC); stdout:"
      printf '%s\n' "$OUT"
      echo "--- stderr:"
      printf '%s\n' "$ERR"
    fi
  } >&2
  exit 1
}

# pass: the test's last line. A test that checked nothing through the DSL (expect_*,
# or a helper that counts in _checks) proves nothing, so it fails instead.
pass() {
  ((_checks > 0)) || fail "pass without a single check (use expect_rc / expect_eq / ...)"
  echo "PASS $TEST_NAME ($_checks checks)"
  exit 0
}

require_db() {
  if [[ -z ${DATABASE_URL:-} ]]; then
    echo "SKIP: no DATABASE_URL"
    exit 77
  fi
}

# psql against $DATABASE_URL (or PSQL_URL), never prompting for a password.
# The harness's own cluster as its superuser over TCP becomes the same database and role
# over the cluster's Unix socket, which the harness trusts: the suite calls psql
# thousands of times, and SCRAM's key derivation cost each call 5 ms of CPU (in psql and
# in the server). Any other URL (a test's own server, PgBouncer, another role) is used as
# it is.
_psql() {
  local url=${PSQL_URL:-$DATABASE_URL}
  local tcp="postgresql://postgres:${PG_PASSWORD:-}@127.0.0.1:${PGPORT_TEST:-}/"
  if [[ -n ${PGHOST_SOCKET:-} && -n ${PG_PASSWORD:-} && -n ${PGPORT_TEST:-} && $url == "$tcp"* ]]; then
    local rest=${url#"$tcp"} sep='?' # rest: the database name and any query
    [[ $rest == *\?* ]] && sep='&'
    url="postgresql://postgres@/$rest${sep}host=$PGHOST_SOCKET&port=$PGPORT_TEST"
  fi
  psql -X -w -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}

# psql_val SQL: print the value(s) SQL returns (unaligned, tuples only).
psql_val() {
  local out
  out=$(_psql -At -c "$1" 2>&1) || fail "psql failed: $1: $out"
  printf '%s\n' "$out"
}

# active_sessions LIKE: how many other sessions of this database are running a query
# matching the LIKE pattern now (e.g. '%pg_sleep%': a scenario's session holding a lock).
active_sessions() {
  psql_val "select count(*) from pg_stat_activity where datname = current_database() and query like '$1' and state = 'active' and pid <> pg_backend_pid()"
}

_drop_db() {
  echo 'DROP DATABASE IF EXISTS :"db" WITH (FORCE);' |
    PSQL_URL=$ADMIN_DATABASE_URL _psql -v db="$1" >/dev/null 2>&1
}

# fresh_db [NAME]: create an empty database (dropped first if it exists, and
# again at exit) and point DATABASE_URL at it. ADMIN_DATABASE_URL keeps the
# original URL.
# shellcheck disable=SC2120  # NAME is optional
fresh_db() {
  require_db
  local name=${1:-vidbtest_${TEST_NAME//[^A-Za-z0-9_]/_}}
  [[ $name =~ ^[A-Za-z0-9_]{1,63}$ ]] || fail "fresh_db: bad database name: $name"
  ADMIN_DATABASE_URL=${ADMIN_DATABASE_URL:-$DATABASE_URL}
  export ADMIN_DATABASE_URL
  local out
  out=$(printf '%s\n' 'DROP DATABASE IF EXISTS :"db" WITH (FORCE);' 'CREATE DATABASE :"db";' |
    PSQL_URL=$ADMIN_DATABASE_URL _psql -v db="$name" 2>&1) || fail "cannot create database $name: $out"
  at_exit "_drop_db $name"
  local url=$ADMIN_DATABASE_URL
  if [[ $url == *://* ]]; then
    local query=""
    [[ $url == *\?* ]] && query="?${url#*\?}"
    url=${url%%\?*}
    local rest=${url#*://}
    [[ $rest == */* ]] && url=${url%"/${rest#*/}"}
    DATABASE_URL="$url/$name$query"
  else
    DATABASE_URL="$url dbname=$name"
  fi
  export DATABASE_URL
}

# run CMD...: run any command, capturing OUT, ERR and RC.
run() {
  RC=0 _last=$*
  "$@" >"$_tmp/out" 2>"$_tmp/err" || RC=$?
  OUT=$(<"$_tmp/out")
  ERR=$(<"$_tmp/err")
}

run_vidb() {
  [[ -x $VIDB ]] || fail "vidb executable not found: $VIDB (set VIDB)"
  run "$VIDB" "$@"
}

expect_rc() {
  _checks=$((_checks + 1))
  [[ $RC == "$1" ]] || fail "expected exit code $1, got $RC"
}

expect_out_contains() {
  _checks=$((_checks + 1))
  [[ $OUT == *"$1"* ]] || fail "stdout does not contain: $1"
}

expect_err_contains() {
  _checks=$((_checks + 1))
  [[ $ERR == *"$1"* ]] || fail "stderr does not contain: $1"
}

expect_not_contains_anywhere() {
  _checks=$((_checks + 1))
  [[ $OUT != *"$1"* ]] || fail "stdout must not contain: $1"
  [[ $ERR != *"$1"* ]] || fail "stderr must not contain: $1"
}

# expect_eq ACTUAL EXPECTED [WHAT]
expect_eq() {
  _checks=$((_checks + 1))
  [[ $1 == "$2" ]] || fail "${3:-value}: expected '$2', got '$1'"
}
