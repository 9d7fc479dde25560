#!/usr/bin/env bash
# ctest-labels: vidb
# vidb up on a port another program listens on: exit 1, a message naming the port and
# the program, nothing started; once the port is free, up works.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=localdb_lib.sh
source "$(dirname "$0")/localdb_lib.sh"
require_server_binaries
enter_project

port=$(free_port)
write_env "postgresql://app:taken-port-secret@127.0.0.1:$port/app"

# A plain TCP listener (not PostgreSQL) on the port.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(5)
print("listening", flush=True)
time.sleep(300)
' "$port" >"$_tmp/listener.out" 2>&1 &
listener=$!
at_exit "kill $listener 2>/dev/null || true"
for _ in $(seq 50); do
  [[ -s $_tmp/listener.out ]] && break
  sleep 0.1
done
[[ $(cat "$_tmp/listener.out") == listening ]] || fail "test listener did not start: $(cat "$_tmp/listener.out")"

run_vidb up
expect_rc 1
expect_err_contains "port $port on 127.0.0.1 is already in use by python"
expect_err_contains "(pid $listener)"
expect_err_contains "pick another port in DATABASE_URL (.env), e.g. $((port + 1))"
expect_not_contains_anywhere "taken-port-secret"
_checks=$((_checks + 1))
[[ ! -e .vidb/pg-$port/data ]] || fail "a cluster was created for a taken port"

kill "$listener"
wait "$listener" 2>/dev/null || true

run_vidb up
expect_rc 0
expect_out_contains "is ready at postgresql://app:***@127.0.0.1:$port/app"

# A running vidb server on the port is not "taken": it is ours.
run_vidb up
expect_rc 0
expect_out_contains "was already running"
pass
