#!/usr/bin/env bash
# Benchmark vidb against the floor (the same SQL through psql) and its peers
# (dbmate, Alembic, Sqitch) on a throwaway PostgreSQL with fsync on, and write
# bench/RESULTS.md. See bench/README.md.
#
#   bench/run.sh [--quick] [--reps N] [--reps-1000 N] [--peers "dbmate alembic sqitch"]
#                [--only "up100 status100 ..."] [--static auto|on|off] [--no-profile] [--no-install]
#                [--idle-wait SECONDS] [--no-build]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$BENCH_DIR/.." && pwd -P)
cd "$ROOT"

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

quick=0 static=auto install=1 idle_wait=120 build=1
export BENCH_PROFILE=1
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --reps) export BENCH_REPS=${2:?}; shift ;;
    --reps-1000) export BENCH_REPS_1000=${2:?}; shift ;;
    --peers) export BENCH_PEERS=${2-}; shift ;;
    --only) export BENCH_ONLY=${2:?}; shift ;;
    --static) static=${2:?}; shift ;;
    --no-profile) BENCH_PROFILE=0 ;;
    --no-install) install=0 ;;
    --idle-wait) idle_wait=${2:?}; shift ;;
    --no-build) build=0 ;;
    -h | --help) usage ;;
    *) say "unknown argument: $1"; usage ;;
  esac
  shift
done
[[ $static == auto || $static == on || $static == off ]] || die "--static takes auto, on or off"
export BENCH_QUICK=$quick
peers=${BENCH_PEERS-dbmate alembic sqitch}

# ---------------------------------------------------------------------------
# 1. What the benchmark needs (idempotent: installs only what is missing).
apt_missing=()
need_pkg() {
  local pkg
  for pkg in "$@"; do
    [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) == "install ok installed" ]] || apt_missing+=("$pkg")
  done
}
apt_install() {  # best effort: a peer whose packages do not install is skipped
  ((${#apt_missing[@]})) || return 0
  if ((!install)); then
    say "not installing (--no-install): ${apt_missing[*]}"
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || { say "missing packages and not root: ${apt_missing[*]}"; return 0; }
    sudo=(sudo)
  fi
  say "apt-get install ${apt_missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
  local pkg
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${apt_missing[@]}" >/dev/null 2>&1; then
    for pkg in "${apt_missing[@]}"; do  # one by one, so one failure does not stop the rest
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" \
        >/dev/null 2>&1 || say "could not install $pkg"
    done
  fi
  apt_missing=()
}

if [[ -f scripts/install-deps.sh ]] && ((install)); then
  bash scripts/install-deps.sh || die "scripts/install-deps.sh failed"
fi
need_pkg time strace python3 gcc
((quick)) || need_pkg valgrind linux-perf
[[ $peers == *alembic* ]] && need_pkg python3-alembic python3-psycopg2
[[ $peers == *sqitch* ]] && need_pkg sqitch libdbd-pg-perl
[[ $peers == *dbmate* ]] && ! command -v npm >/dev/null 2>&1 && need_pkg npm
apt_install

available=()
for peer in $peers; do
  case $peer in
    dbmate)
      dbmate=$BENCH_DIR/.tools/node_modules/@dbmate/linux-x64/bin/dbmate
      if [[ ! -x $dbmate ]] && command -v npm >/dev/null 2>&1 && ((install)); then
        say "npm install @dbmate/linux-x64 (into bench/.tools)"
        mkdir -p "$BENCH_DIR/.tools"
        npm install --silent --no-audit --no-fund --prefix "$BENCH_DIR/.tools" @dbmate/linux-x64 >/dev/null 2>&1 ||
          say "npm install @dbmate/linux-x64 failed"
      fi
      if [[ -x $dbmate ]] && "$dbmate" --version >/dev/null 2>&1; then available+=(dbmate); else say "skipping dbmate: not installed"; fi
      ;;
    alembic)
      if /usr/bin/python3 -c 'import alembic, psycopg2' 2>/dev/null; then available+=(alembic); else say "skipping Alembic: python3-alembic/python3-psycopg2 missing"; fi
      ;;
    sqitch)
      if command -v sqitch >/dev/null 2>&1 && perl -MDBD::Pg -e1 2>/dev/null; then available+=(sqitch); else say "skipping Sqitch: sqitch/libdbd-pg-perl missing"; fi
      ;;
    *) die "unknown peer: $peer (dbmate, alembic, sqitch)" ;;
  esac
done
export BENCH_PEERS="${available[*]-}"

mkdir -p "$BENCH_DIR/results"
cc -O2 -o "$BENCH_DIR/results/runner" "$BENCH_DIR/tools/runner.c" || die "cannot compile bench/tools/runner.c"

# ---------------------------------------------------------------------------
# 2. Workloads and one vidb per migration set (build-bench/: only the embedded
#    migrations are rebuilt and relinked per set). With a static libpq at hand
#    (scripts/build-libpq-static.sh), also static ones in build-bench-static/.
libpq_static=$ROOT/build/libpq-static
export BENCH_NO_BUILD=$((!build))
if ((!build)); then
  [[ -x $BENCH_DIR/results/bin/vidb_tables100 ]] || die "--no-build: no vidb built yet in bench/results/bin (run once without it)"
  export BENCH_STATIC_LIBPQ=
elif [[ $static == on ]] || { [[ $static == auto ]] && [[ -f $libpq_static/lib/libpq.a && -f $libpq_static/.stamp ]]; }; then
  [[ -f $libpq_static/lib/libpq.a ]] || die "--static on: no static libpq in $libpq_static (run scripts/build-libpq-static.sh $libpq_static)"
  export BENCH_STATIC_LIBPQ=$libpq_static
else
  export BENCH_STATIC_LIBPQ=
  rm -f "$BENCH_DIR"/results/bin/vidbs_*
fi
python3 "$BENCH_DIR/bench.py" prepare || die "prepare failed (see bench/results/logs/build.log)"

# ---------------------------------------------------------------------------
# 3. A throwaway PostgreSQL: the test harness's server, then durability back on
#    (the harness turns fsync off for tests; a benchmark wants what users run).
pgdir=$(mktemp -d /tmp/vidb-bench.XXXXXX)
cleanup() {
  local status=$?
  scripts/pg-harness.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say "starting PostgreSQL in $pgdir"
scripts/pg-harness.sh start "$pgdir" >/dev/null
# shellcheck disable=SC1091
source "$pgdir/env"
psql_admin() { "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PGHOST_SOCKET" -p "$PGPORT_TEST" -U postgres -d postgres "$@"; }
psql_admin -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
  -c "ALTER SYSTEM SET full_page_writes = on" -c "ALTER SYSTEM SET max_wal_size = '4GB'" \
  -c "ALTER SYSTEM SET autovacuum = on" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
[[ $(psql_admin -c "SHOW fsync") == on && $(psql_admin -c "SHOW synchronous_commit") == on ]] ||
  die "could not turn fsync and synchronous_commit on"

# ---------------------------------------------------------------------------
# 4. Wait (a while) for a quiet machine: other builds on the same cores make
#    every number noisy. Then run, and write bench/RESULTS.md.
cores=$(nproc)
for ((waited = 0; waited < idle_wait; waited += 10)); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l < c) }' && break
  ((waited % 60)) || say "load average $load on $cores cores: waiting for it to fall under $cores (up to ${idle_wait}s)"
  sleep 10
done
BENCH_PG_ENV=$pgdir/env python3 "$BENCH_DIR/bench.py" run
