#!/usr/bin/env bash
# ctest-labels: vidb
# Connection failures sorted by what happened, not by the server's words:
# - a server speaking German (lc_messages) still gets a wrong password reported at once as
#   exit 3 with the password advice, even under `wait` (before: retried until timeout, 5),
#   and a missing database or role gets its advice;
# - `wait --timeout 2s` against a host that accepts TCP but never answers ends after about
#   2 s with exit 5 (before: each attempt took the whole 10 s connect timeout);
# - a password containing "connect_timeout" does not switch vidb's own timeout off;
# - Ctrl-C ends a hanging connection attempt at once (exit 130);
# - libpq's further lines stay whole, as detail lines.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
harness=$REPO_ROOT/scripts/pg-harness.sh

# --- A host that accepts connections and never says a word.
python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
    with open(sys.argv[1], "a") as f:
        f.write("accepted\n")
' "$_tmp/silent.accepts" >"$_tmp/silent.port" &
silent_pid=$!
at_exit "kill $silent_pid 2>/dev/null"
for _ in $(seq 1 50); do
  [[ -s $_tmp/silent.port ]] && break
  sleep 0.1
done
silent=$(<"$_tmp/silent.port")
[[ $silent =~ ^[0-9]+$ ]] || fail "the silent listener did not start"

# `timeout 8` only bounds the run; the deadline under test is the 2 s.
run timeout 8 "$VIDB" --url "postgresql://u:p@127.0.0.1:$silent/x" wait --timeout 2s
expect_rc 5
expect_err_contains "no answer"
expect_err_contains "gave up after waiting 2s"
run timeout 8 "$VIDB" --url "postgresql://u:p@127.0.0.1:$silent/x" --wait --wait-timeout 2s ping
expect_rc 5
# A password that contains the option's name is just a password.
run env -u PGCONNECT_TIMEOUT timeout 8 "$VIDB" --url "postgresql://u:connect_timeout@127.0.0.1:$silent/x" \
  --wait --wait-timeout 2s ping
expect_rc 5
run timeout 8 "$VIDB" --url "postgresql://u:p@127.0.0.1:$silent/x?connect_timeout=2" ping
expect_rc 3
expect_err_contains "within 2 s"

# Ctrl-C stops a connection attempt at once (before: only after the attempt timed out).
# The signal goes once the listener has taken vidb's connection, so it lands in the
# attempt: a fixed sleep let a loaded machine signal vidb before it had started.
accepted() { wc -l 2>/dev/null <"$_tmp/silent.accepts" || echo 0; }
before=$(accepted)
timeout 8 "$VIDB" --url "postgresql://u:p@127.0.0.1:$silent/x" wait --timeout 60s >"$_tmp/int.out" 2>"$_tmp/int.err" &
waiter=$!
for _ in $(seq 1 100); do
  (($(accepted) > before)) && break
  sleep 0.05
done
(($(accepted) > before)) || fail "vidb wait did not connect to the silent listener within 5 s"
kill -INT "$waiter"
RC=0
wait "$waiter" || RC=$?
OUT=$(<"$_tmp/int.out") ERR=$(<"$_tmp/int.err") _last="wait, then SIGINT"
expect_rc 130
expect_err_contains "interrupted (SIGINT)"

# --- libpq's second line is a detail line of its own, not glued to the first.
run "$VIDB" --url "postgresql://u:p@127.0.0.1:1/x" ping
expect_rc 3
_checks=$((_checks + 1))
grep -qx '  Is the server running on that host and accepting TCP/IP connections?' <<<"$ERR" ||
  fail "libpq's hint is not a detail line: $ERR"

# --- A server that speaks German.
if ! ls /usr/share/locale/de/LC_MESSAGES/postgres-*.mo >/dev/null 2>&1; then
  echo "note: no German PostgreSQL messages installed; the lc_messages part is skipped"
  pass
fi
german=$(mktemp -d "${TMPDIR:-/tmp}/vidb-german.XXXXXX")
at_exit "'$harness' stop '$german' >/dev/null 2>&1; rm -rf '$german'"
# gettext follows LANGUAGE once lc_messages is a non-C locale; C.UTF-8 exists everywhere.
LANGUAGE=de "$harness" start "$german" >/dev/null 2>&1 || fail "cannot start a second server"
german_url=$(sed -n 's/^DATABASE_URL=//p' "$german/env")
for locale in C.UTF-8 C.utf8; do
  PSQL_URL=$german_url _psql -c "ALTER SYSTEM SET lc_messages = '$locale'" 2>/dev/null && break
done
PSQL_URL=$german_url _psql -c "SELECT pg_reload_conf()" >/dev/null
rest=${german_url#*@}
base="postgresql://postgres:wrong-password@$rest"
# Without a C.UTF-8 locale the server keeps English: then there is nothing to show here.
if ! psql -X -w -d "$base" -c 'SELECT 1' 2>&1 | grep -q Passwort; then
  echo "note: the second server does not speak German (no C.UTF-8 locale?); the lc_messages part is skipped"
  pass
fi

run timeout 15 "$VIDB" --url "$base" wait --timeout 30s
expect_rc 3
expect_err_contains "Passwort" # proves the server spoke German
expect_err_contains "check the user and password"
expect_not_contains_anywhere "wrong-password"
run timeout 15 "$VIDB" --url "$base" --wait --wait-timeout 30s migrate
expect_rc 3
run timeout 15 "$VIDB" --url "postgresql://nobody_here:pw@$rest" wait --timeout 30s
expect_rc 3 # PostgreSQL answers an unknown role like a wrong password (28P01)
expect_err_contains "check the user and password"
run "$VIDB" --url "${german_url%/*}/no_such_database" ping
expect_rc 3
expect_err_contains "create the database"
pass
