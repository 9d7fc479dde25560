#!/usr/bin/env bash
# ctest-labels: vidb
# vidb up / down on the PostgreSQL installed here (no Docker engine: the fall-through):
# up -> migrate -> down -> ping exits 3 -> up again keeps the data -> down --purge
# deletes it. Also: up twice is fine, files under .vidb are private and hold no
# password, the server does not run as root, no password on any process command line.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=localdb_lib.sh
source "$(dirname "$0")/localdb_lib.sh"
require_server_binaries
enter_project

port=$(free_port)
password="Lc$(openssl rand -hex 12)"
url="postgresql://app:$password@127.0.0.1:$port/appdb"
write_env "$url"

run_vidb up
expect_rc 0
expect_out_contains "Creating a PostgreSQL"
expect_out_contains "Created database appdb"
expect_out_contains "is ready at postgresql://app:***@127.0.0.1:$port/appdb"
# In the version matrix (scripts/test-matrix.sh), the server of that major (VIDB_PG_BINDIR).
[[ -z ${VIDB_MATRIX_MAJOR:-} ]] || expect_out_contains "Creating a PostgreSQL $VIDB_MATRIX_MAJOR cluster"
expect_not_contains_anywhere "$password"

# DATABASE_URL works as it is, with password authentication over TCP.
PSQL_URL=$url
export PSQL_URL
expect_eq "$(psql_val "select current_user || '@' || current_database()")" "app@appdb" "user and database"
run psql -X -w -At -d "postgresql://app:wrong@127.0.0.1:$port/appdb" -c 'select 1'
expect_rc 2
expect_err_contains "password authentication failed"

# The server runs unprivileged: as postgres when the test runs as root.
pid=$(postmaster_pid "$port")
[[ -n $pid ]] || fail "no postmaster.pid in .vidb/pg-$port/data"
owner=$(ps -o user= -p "$pid" | tr -d ' ')
if ((EUID == 0)); then
  expect_eq "$owner" postgres "server account"
else
  expect_eq "$owner" "$(id -un)" "server account"
fi
# No password on any command line (the postgres processes, anything else running).
# (The pattern comes from a file: on grep's own command line it would find itself.)
printf '%s\n' "$password" >"$_tmp/pattern"
ps -eo args >"$_tmp/ps"
_checks=$((_checks + 1))
! grep -qF -f "$_tmp/pattern" "$_tmp/ps" || fail "the password is on a process command line"

# Private files, and no password in them (PostgreSQL keeps only a SCRAM hash).
if ((EUID == 0)); then
  expect_eq "$(stat -c '%a %U' .vidb)" "710 root" ".vidb mode"
  expect_eq "$(stat -c '%G' .vidb)" "$(id -gn postgres)" ".vidb group"
else
  expect_eq "$(stat -c %a .vidb)" 700 ".vidb mode"
fi
expect_eq "$(stat -c %a ".vidb/pg-$port")" 700 "instance mode"
expect_eq "$(stat -c %a ".vidb/pg-$port/data")" 700 "data mode"
loose=$(find .vidb -mindepth 1 ! -type l ! -type s -perm /077 -printf '%m %p\n')
expect_eq "$loose" "" "files readable by others under .vidb"
_checks=$((_checks + 1))
! grep -rqF "$password" .vidb || fail "the password is written in .vidb: $(grep -rlF "$password" .vidb)"
[[ -s .vidb/pg-$port/server.log ]] || fail "no server log in .vidb/pg-$port/server.log"

# up again: already running, same server, exit 0.
run_vidb up
expect_rc 0
expect_out_contains "was already running at postgresql://app:***@127.0.0.1:$port/appdb"
expect_eq "$(postmaster_pid "$port")" "$pid" "postmaster pid after a second up"

run_vidb migrate
expect_rc 0
psql_val "insert into projects (name) values ('kept across restarts')" >/dev/null

run_vidb down
expect_rc 0
expect_out_contains "Stopped PostgreSQL in .vidb/pg-$port"
_checks=$((_checks + 1))
! pid_running "$pid" || fail "postmaster $pid still runs after vidb down"

run_vidb ping
expect_rc 3
expect_err_contains "vidb up starts a local one"
expect_not_contains_anywhere "$password"

run_vidb down
expect_rc 0
expect_out_contains "was not running"

run_vidb up
expect_rc 0
expect_out_contains "is ready at"
[[ $OUT != *"Creating a PostgreSQL"* ]] || fail "second start ran initdb again"
expect_eq "$(psql_val 'select name from projects')" "kept across restarts" "data after restart"
run_vidb status
expect_rc 0

# The server vidb up runs is disposable (MIGRATIONS.md, "vidb reset"): reset needs no
# --yes although the database holds a row.
run_vidb --json reset
expect_rc 0
expect_eq "$(jq -r .guard <<<"$OUT")" "it is served by vidb up (.vidb/pg-$port)" "reset guard on vidb up's server"
expect_eq "$(psql_val 'select count(*) from projects')" 0 "rows after reset of vidb up's database"

run_vidb down --purge
expect_rc 0
expect_out_contains "Deleted .vidb/pg-$port and all its data"
_checks=$((_checks + 1))
[[ ! -e .vidb/pg-$port ]] || fail ".vidb/pg-$port still exists after down --purge"
run_vidb ping
expect_rc 3

run_vidb down
expect_rc 0
expect_out_contains "nothing to stop"

# Three `vidb up` at once (parallel make targets, CI steps): one creates, all succeed.
for i in 1 2 3; do
  ("$VIDB" up >"$_tmp/up$i.log" 2>&1; echo "exit $?" >>"$_tmp/up$i.log") &
done
wait
for i in 1 2 3; do
  _checks=$((_checks + 1))
  [[ $(tail -n1 "$_tmp/up$i.log") == "exit 0" ]] || fail "concurrent vidb up $i: $(cat "$_tmp/up$i.log")"
done
expect_eq "$(cat "$_tmp"/up*.log | grep -c 'Creating a PostgreSQL')" 1 "clusters created by concurrent ups"
run psql -X -w -At -d "$url" -c 'select count(*) from projects'
expect_rc 1
expect_err_contains 'relation "projects" does not exist'  # a fresh cluster, not the purged one
pass
