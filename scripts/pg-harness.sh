#!/usr/bin/env bash
# Throwaway PostgreSQL (and PgBouncer) for tests. Everything lives in DIR.
#
#   scripts/pg-harness.sh start DIR [--ssl] [--port N]
#   scripts/pg-harness.sh pgbouncer DIR
#   scripts/pg-harness.sh createdb DIR NAME
#   scripts/pg-harness.sh stop DIR
#   scripts/pg-harness.sh free-port        (a free TCP port on 127.0.0.1)
#
# Layout of DIR: data/ (PGDATA), socket-dir/ (Unix sockets), server.log,
# env (shell assignments: DATABASE_URL, PGHOST_SOCKET, PGPORT_TEST, PG_BINDIR,
# PG_CLIENT_BINDIR, PG_SERVER_VERSION_NUM, PG_PASSWORD, PG_HARNESS_DIR, and
# PGBOUNCER_URL once pgbouncer runs), pgbouncer.{ini,users,log,pid},
# server.{crt,key} with --ssl.
#
# PostgreSQL and PgBouncer refuse to run as root: as root, DIR is chowned to
# the `postgres` user and the servers run as that user.
# PG_BINDIR in the environment overrides the server binaries' location: any
# directory with initdb, pg_ctl and postgres, e.g. one major of the version
# matrix (scripts/install-pg-matrix.sh --bindir 13). Such a directory may lack
# the client programs (psql, pg_isready): those then come from the newest
# installed PostgreSQL (PG_CLIENT_BINDIR), which talks to any server 13..18.
set -euo pipefail

prog=pg-harness
die() { echo "$prog: $*" >&2; exit 1; }
usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# Keep the caller's libpq settings from leaking into our own psql calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE \
  PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGREQUIRESSL PGDATA \
  PGTARGETSESSIONATTRS PGCONNECT_TIMEOUT 2>/dev/null || true

server_user=postgres
stopped_pids=()

# Run a command as the server user (from inside DIR, which it can read).
as_server() {
  if ((EUID == 0)); then
    if command -v runuser >/dev/null 2>&1; then
      (cd "$DIR" && runuser -u "$server_user" -- "$@")
    else
      (cd "$DIR" && setpriv --reuid="$server_user" --regid="$server_user" --init-groups -- "$@")
    fi
  else
    (cd "$DIR" && "$@")
  fi
}

find_bindir() {
  if [[ -n ${PG_BINDIR:-} ]]; then
    local program
    for program in initdb pg_ctl postgres; do
      [[ -x $PG_BINDIR/$program ]] || die "PG_BINDIR=$PG_BINDIR has no $program"
    done
    echo "$PG_BINDIR"
    return
  fi
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/initdb ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$dir" | sort -V | tail -n1) == "$dir" ]]; then
      best=$dir
    fi
  done
  if [[ -z $best ]] && command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir)
    [[ -x $dir/initdb ]] && best=$dir
  fi
  [[ -n $best ]] || die "no PostgreSQL server binaries found (run scripts/install-deps.sh)"
  echo "$best"
}

# Where psql and pg_isready are: next to the server when they are there, else the
# newest installed PostgreSQL's, else the PATH's.
find_client_bindir() {  # SERVER_BINDIR
  if [[ -x $1/psql && -x $1/pg_isready ]]; then
    echo "$1"
    return
  fi
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/psql && -x $dir/pg_isready ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$dir" | sort -V | tail -n1) == "$dir" ]]; then
      best=$dir
    fi
  done
  if [[ -z $best ]] && command -v psql >/dev/null 2>&1; then
    dir=$(dirname "$(command -v psql)")
    [[ -x $dir/pg_isready ]] && best=$dir
  fi
  [[ -n $best ]] || die "no psql and pg_isready next to $1 nor installed (apt-get install postgresql-client)"
  echo "$best"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Print a TCP port on 127.0.0.1 that is free right now (outside the
# ephemeral range, so outgoing connections do not take it meanwhile).
free_port() {
  local port i
  if command -v python3 >/dev/null 2>&1 && port=$(python3 - 2>/dev/null <<'EOF'
import random, socket
for _ in range(500):
    p = random.randint(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break
EOF
  ) && [[ $port =~ ^[0-9]+$ ]]; then
    echo "$port"
    return
  fi
  for ((i = 0; i < 500; i++)); do
    port=$((20000 + RANDOM % 12000))
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  done
  die "no free TCP port found"
}

load_env() {
  [[ -f $DIR/env ]] || die "$DIR/env not found (did 'start' run?)"
  # shellcheck disable=SC1091
  source "$DIR/env"
}

set_dir() {
  [[ -n ${1:-} ]] || usage
  DIR=$1
}

pid_alive() {
  local pid=$1 state
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A zombie is as good as gone.
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  [[ $state != Z ]]
}

wait_gone() {  # PID SECONDS
  local pid=$1 i
  for ((i = 0; i < $2 * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  return 1
}

# After exiting, a daemon stays a zombie until init reaps it; wait for that
# (briefly, best effort) so that `pgrep` right after `stop` finds nothing.
wait_reaped() {  # PID SECONDS
  local i
  for ((i = 0; i < $2 * 20; i++)); do
    [[ -e /proc/$1 ]] || return 0
    sleep 0.05
  done
  return 0
}

show_log_tail() {
  if [[ -f $1 ]]; then
    echo "$prog: last lines of $1:" >&2
    tail -n 20 "$1" >&2
  fi
}

cmd_start() {
  set_dir "${1:-}"
  shift
  local ssl=0 port=""
  while (($#)); do
    case $1 in
      --ssl) ssl=1 ;;
      --port) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--port needs a number"; port=$2; shift ;;
      --port=*) port=${1#--port=}; [[ $port =~ ^[0-9]+$ ]] || die "--port needs a number" ;;
      *) die "start: unknown argument: $1" ;;
    esac
    shift
  done

  local bindir clientdir
  bindir=$(find_bindir)
  clientdir=$(find_client_bindir "$bindir")
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd -P)
  [[ ! -e $DIR/data ]] || die "$DIR/data already exists; use an empty directory"

  local sockdir=$DIR/socket-dir
  # Unix socket paths are limited to 107 bytes.
  ((${#sockdir} + 18 < 107)) || die "path too long for a Unix socket: $sockdir"

  if ((EUID == 0)); then
    id "$server_user" >/dev/null 2>&1 || die "user '$server_user' does not exist (install the postgresql package)"
    chown "$server_user:" "$DIR"
    chmod 0700 "$DIR"
    as_server test -w "$DIR" ||
      die "user '$server_user' cannot reach $DIR (a parent directory is not searchable); use a directory under /tmp"
  fi
  as_server mkdir -p "$sockdir"

  local password
  password=$(openssl rand -hex 16)
  local pwfile=$DIR/.pwfile
  (umask 077 && printf '%s\n' "$password" >"$pwfile")
  ((EUID != 0)) || chown "$server_user:" "$pwfile"

  if ! as_server "$bindir/initdb" -D "$DIR/data" -U postgres --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync \
    >"$DIR/initdb.log" 2>&1; then
    rm -f "$pwfile"
    show_log_tail "$DIR/initdb.log"
    die "initdb failed"
  fi
  rm -f "$pwfile"

  if ((ssl)); then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$DIR/server.key" -out "$DIR/server.crt" >/dev/null 2>&1 ||
      die "openssl could not create a certificate"
    chmod 0600 "$DIR/server.key"
    chmod 0644 "$DIR/server.crt"
    ((EUID != 0)) || chown "$server_user:" "$DIR/server.key" "$DIR/server.crt"
  fi

  echo "include 'harness.conf'" | as_server tee -a "$DIR/data/postgresql.conf" >/dev/null
  local ssl_conf="ssl = off"
  if ((ssl)); then
    ssl_conf=$(printf "ssl = on\nssl_cert_file = '%s'\nssl_key_file = '%s'" "$DIR/server.crt" "$DIR/server.key")
  fi

  local attempt fixed_port=$port log=$DIR/server.log
  for ((attempt = 1; ; attempt++)); do
    [[ -n $fixed_port ]] || port=$(free_port)
    as_server tee "$DIR/data/harness.conf" >/dev/null <<EOF
# written by scripts/pg-harness.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
max_parallel_workers_per_gather = 0
timezone = 'UTC'
lc_messages = 'C'
log_line_prefix = '%m [%p] %q%u@%d '
$ssl_conf
EOF
    local log_size=0
    [[ -f $log ]] && log_size=$(stat -c %s "$log")
    if as_server "$bindir/pg_ctl" -D "$DIR/data" -l "$log" -w -t 30 start >/dev/null 2>&1; then
      break
    fi
    if [[ -z $fixed_port ]] && ((attempt < 5)) &&
      [[ $(tail -c +"$((log_size + 1))" "$log" 2>/dev/null) == *"Address already in use"* ]]; then
      continue  # lost a race for the port: pick another one
    fi
    show_log_tail "$log"
    die "PostgreSQL did not start"
  done

  local i
  for ((i = 0; ; i++)); do
    "$clientdir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 && break
    if ((i >= 60)); then
      show_log_tail "$log"
      die "PostgreSQL does not accept connections after 30 s"
    fi
    sleep 0.5
  done

  local version_num
  version_num=$("$clientdir/psql" -XAtq -h "$sockdir" -p "$port" -U postgres -d postgres \
    -c 'show server_version_num') || die "cannot ask the server its version"

  local url="postgresql://postgres:$password@127.0.0.1:$port/postgres"
  {
    printf 'DATABASE_URL=%q\n' "$url"
    printf 'PGHOST_SOCKET=%q\n' "$sockdir"
    printf 'PGPORT_TEST=%q\n' "$port"
    printf 'PG_BINDIR=%q\n' "$bindir"
    printf 'PG_CLIENT_BINDIR=%q\n' "$clientdir"
    printf 'PG_SERVER_VERSION_NUM=%q\n' "$version_num"
    printf 'PG_PASSWORD=%q\n' "$password"
    printf 'PG_HARNESS_DIR=%q\n' "$DIR"
    if ((ssl)); then
      printf 'PG_SSL=1\n'
      printf 'PG_SSL_ROOTCERT=%q\n' "$DIR/server.crt"
    fi
  } >"$DIR/env"
  chmod 0600 "$DIR/env"
  echo "DATABASE_URL=postgresql://postgres:***@127.0.0.1:$port/postgres"
}

stop_pgbouncer() {
  local pidfile=$DIR/pgbouncer.pid pid
  [[ -f $pidfile ]] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" 10; then
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 5 || true
    fi
    stopped_pids+=("$pid")
  fi
  rm -f "$pidfile"
}

cmd_stop() {
  set_dir "${1:-}"
  [[ -d $DIR ]] || return 0
  DIR=$(cd "$DIR" && pwd -P)
  stopped_pids=()
  stop_pgbouncer

  local pidfile=$DIR/data/postmaster.pid pid bindir
  pid=$(head -n1 "$pidfile" 2>/dev/null || true)
  if pid_alive "$pid"; then
    # shellcheck disable=SC1091
    bindir=$( (source "$DIR/env" 2>/dev/null && echo "${PG_BINDIR:-}") || true)
    [[ -x ${bindir:-}/pg_ctl ]] || bindir=$(find_bindir)
    as_server "$bindir/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    if pid_alive "$pid"; then
      kill -QUIT "$pid" 2>/dev/null || true  # immediate shutdown
      wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    fi
    stopped_pids+=("$pid")
  fi
  for pid in "${stopped_pids[@]}"; do
    wait_reaped "$pid" 3
  done
  return 0
}

cmd_pgbouncer() {
  set_dir "${1:-}"
  DIR=$(cd "$DIR" 2>/dev/null && pwd -P) || die "no such directory: $1"
  load_env
  local pgbouncer
  pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)  # sbin: not in a user's PATH
  [[ -x $pgbouncer ]] || die "pgbouncer not installed (run scripts/install-deps.sh)"

  local pid
  pid=$(cat "$DIR/pgbouncer.pid" 2>/dev/null || true)
  if pid_alive "$pid"; then
    echo "$prog: pgbouncer already running (pid $pid)" >&2
    return 0
  fi

  local users=$DIR/pgbouncer.users ini=$DIR/pgbouncer.ini log=$DIR/pgbouncer.log
  (umask 077 && printf '"postgres" "%s"\n' "$PG_PASSWORD" >"$users")
  ((EUID != 0)) || chown "$server_user:" "$users"

  local attempt bport ok=0
  for ((attempt = 1; attempt <= 5; attempt++)); do
    bport=$(free_port)
    cat >"$ini" <<EOF
; written by scripts/pg-harness.sh
[databases]
* = host=127.0.0.1 port=$PGPORT_TEST

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir = $PGHOST_SOCKET
auth_type = scram-sha-256
auth_file = $users
admin_users = postgres
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
ignore_startup_parameters = extra_float_digits
logfile = $log
pidfile = $DIR/pgbouncer.pid
EOF
    chmod 0644 "$ini"
    : >"$log"
    ((EUID != 0)) || chown "$server_user:" "$log"
    as_server "$pgbouncer" -d -q "$ini" >>"$log" 2>&1 || true

    local i
    for ((i = 0; i < 50; i++)); do
      if [[ $(PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 "$PG_CLIENT_BINDIR/psql" -XAtq \
        "postgresql://postgres@127.0.0.1:$bport/postgres" -c 'select 1' 2>/dev/null) == 1 ]]; then
        ok=1
        break 2
      fi
      # Another process holds the port: pgbouncer keeps running on the Unix
      # socket only, so stop it and try another port.
      grep -q 'cannot listen' "$log" && break
      sleep 0.1
    done
    stop_pgbouncer
  done
  if ((!ok)); then
    show_log_tail "$log"
    die "pgbouncer did not start"
  fi

  sed -i '/^PGBOUNCER_URL=/d' "$DIR/env"
  printf 'PGBOUNCER_URL=%q\n' "postgresql://postgres:$PG_PASSWORD@127.0.0.1:$bport/postgres" >>"$DIR/env"
  echo "PGBOUNCER_URL=postgresql://postgres:***@127.0.0.1:$bport/postgres"
}

cmd_createdb() {
  set_dir "${1:-}"
  local name=${2:-}
  [[ -n $name ]] || usage
  [[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$ ]] ||
    die "createdb: database name must match [A-Za-z0-9_.-]{1,63}: $name"
  DIR=$(cd "$DIR" 2>/dev/null && pwd -P) || die "no such directory: $1"
  load_env
  local err
  if ! err=$(printf '%s\n' \
    'DROP DATABASE IF EXISTS :"db" WITH (FORCE);' \
    'CREATE DATABASE :"db";' |
    "$PG_CLIENT_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -v db="$name" \
      -h "$PGHOST_SOCKET" -p "$PGPORT_TEST" -U postgres -d postgres 2>&1 >/dev/null); then
    die "createdb $name failed: $err"
  fi
  echo "postgresql://postgres:$PG_PASSWORD@127.0.0.1:$PGPORT_TEST/$name"
}

sub=${1:-}
(($#)) && shift
case $sub in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  pgbouncer) cmd_pgbouncer "$@" ;;
  createdb) cmd_createdb "$@" ;;
  free-port) free_port ;;
  -h | --help | help) usage ;;
  *) usage ;;
esac
