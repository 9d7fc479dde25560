# shellcheck shell=bash
# Helpers for the vidb up / down / reset tests (source after lib.sh):
#
#   require_server_binaries   # exit 77 (skip) without initdb, pg_ctl, postgres
#   enter_project             # cd into a fresh project directory, removed at exit
#   port=$(free_port)         # a TCP port on 127.0.0.1 that is free right now
#   write_env URL             # the project's .env: DATABASE_URL=URL
#   fake_docker SCRIPT        # a `docker` first on PATH running SCRIPT (bash)
#
# enter_project puts a `docker` that finds no engine first on PATH, so vidb up takes
# the native path even on a machine with Docker (and proves the fall-through).
# Every server a test starts there is stopped and purged at exit, pass or fail.

# The harness's URL must not leak into these tests: each project has its own .env.
unset DATABASE_URL PGBOUNCER_URL ENVIRONMENT VIDB_ENV

require_server_binaries() {
  local dir
  for dir in ${VIDB_PG_BINDIR:-} /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
    [[ -x $dir/initdb && -x $dir/pg_ctl ]] && return 0
  done
  command -v initdb >/dev/null 2>&1 && return 0
  echo "SKIP: no PostgreSQL server programs (apt-get install postgresql)"
  exit 77
}

free_port() { "$REPO_ROOT/scripts/pg-harness.sh" free-port; }

# enter_project [MODE]: MODE 0755 by default, so that the server's account (postgres,
# when root) can reach the project's .vidb directory.
enter_project() {
  PROJECT=$(mktemp -d "${TMPDIR:-/tmp}/vidb-localdb.XXXXXX")
  chmod "${1:-0755}" "$PROJECT"
  cd "$PROJECT"
  at_exit "_purge_project '$PROJECT'"
  fake_docker 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1'
}

fake_docker() {
  mkdir -p "$_tmp/fakebin"
  printf '#!/usr/bin/env bash\n%s\n' "$1" >"$_tmp/fakebin/docker"
  chmod 0755 "$_tmp/fakebin/docker"
  [[ :$PATH: == *":$_tmp/fakebin:"* ]] || PATH="$_tmp/fakebin:$PATH"
}

_purge_project() {
  cd "$1" || return 0
  local port
  for port in $(ls .vidb 2>/dev/null | sed -n 's/^pg-\([0-9]*\)$/\1/p'); do
    "$VIDB" --url "postgresql://x@127.0.0.1:$port/x" down --purge >/dev/null 2>&1 || true
  done
  cd / && rm -rf "$1"
}

write_env() {
  printf 'DATABASE_URL=%s\n' "$1" >.env
  chmod 0600 .env
}

# pid of the postmaster of the local server for PORT, or "".
postmaster_pid() {
  head -n1 ".vidb/pg-$1/data/postmaster.pid" 2>/dev/null || true
}

# Whether PID runs (a zombie waiting for init to reap it does not).
pid_running() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [[ -n $state && $state != Z ]]
}
