#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster plus a transaction-
# pooling PgBouncer, then stop both and delete them.
#
#   scripts/test-env.sh ctest --test-dir build --output-on-failure
#
# The command sees DATABASE_URL, PGBOUNCER_URL, PGHOST_SOCKET, PGPORT_TEST,
# PG_BINDIR, PG_CLIENT_BINDIR, PG_SERVER_VERSION_NUM, PG_PASSWORD and
# PG_HARNESS_DIR (see scripts/pg-harness.sh). PG_BINDIR set beforehand picks the
# server, e.g. PG_BINDIR=$(scripts/install-pg-matrix.sh --bindir 13).
# Exits with the command's exit code. TEST_ENV_KEEP=1 keeps the directory
# (logs, data) after stopping the servers.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

harness="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg-harness.sh"

# The cluster and the tests' scratch files go to a RAM file system when there is one
# with room (TMPDIR unset, /dev/shm a tmpfs with 4 GiB free): each test creates and drops
# databases, which on ext4 is mostly inode bookkeeping in the kernel; on 2 cores the
# sanitized run took 102 s on disk and 89 s on /dev/shm. A container's 64 MiB /dev/shm
# is too small, and then everything stays in /tmp.
shm_free_kib=$(df -P -k /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }') || shm_free_kib=0
[[ $shm_free_kib =~ ^[0-9]+$ ]] || shm_free_kib=0
if [[ -z ${TMPDIR:-} && -d /dev/shm && -w /dev/shm ]] &&
  [[ $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs ]] && ((shm_free_kib >= 4 * 1024 * 1024)); then
  export TMPDIR=/dev/shm
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/vidb-test.XXXXXX")
# Commands the tests call, resolved once (see below); not in $dir, which the server owns.
tools=$(mktemp -d "${TMPDIR:-/tmp}/vidb-test-tools.XXXXXX")

# shellcheck disable=SC2317  # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n ${child:-} ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  "$harness" stop "$dir" || true
  rm -rf "$tools"
  if [[ ${TEST_ENV_KEEP:-0} == 1 ]]; then
    echo "test-env: kept $dir" >&2
  else
    rm -rf "$dir"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$harness" start "$dir"
"$harness" pgbouncer "$dir" >/dev/null

set -a
# shellcheck disable=SC1091
source "$dir/env"
set +a
# psql, pg_dump... straight from the client binaries: Debian's /usr/bin/psql is a Perl
# wrapper (pg_wrapper) that picks the same binaries after starting Perl, at every call;
# the tests call psql about 2000 times, and the wrapper cost a sixth of the suite's CPU.
PATH=$PG_CLIENT_BINDIR:$PATH
# python3, started hundreds of times by the tests, which need only its standard library:
# the system's interpreter when there is one, else the interpreter python3 resolves to,
# never a version manager's shim (pyenv's is a shell script and several processes per
# call: 65 ms here, then 38 ms for its interpreter's site-packages, 16 ms for Debian's).
py=/usr/bin/python3
[[ -x $py ]] || py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || py=""
if [[ -n $py && -x $py ]]; then
  ln -s "$py" "$tools/python3"
  PATH=$tools:$PATH
fi

# Run CMD in the background (stdin kept) so that a signal to this script
# stops the servers at once instead of after CMD finishes.
"$@" <&0 &
child=$!
rc=0
wait "$child" || rc=$?
child=""
exit "$rc"
