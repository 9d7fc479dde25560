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
dir=$(mktemp -d "${TMPDIR:-/tmp}/vidb-test.XXXXXX")

# shellcheck disable=SC2317  # invoked by trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n ${child:-} ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  "$harness" stop "$dir" || true
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

# Run CMD in the background (stdin kept) so that a signal to this script
# stops the servers at once instead of after CMD finishes.
"$@" <&0 &
child=$!
rc=0
wait "$child" || rc=$?
child=""
exit "$rc"
