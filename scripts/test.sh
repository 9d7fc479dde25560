#!/usr/bin/env bash
# `make test`: install what is missing, build three configurations and test each
# thing once where it can break, against a throwaway PostgreSQL (scripts/test-env.sh):
#
#   build        RelWithDebInfo (build/, what `make build` and `make demo` use): vidb,
#                the release vidb and the unit tests, built with warnings as errors at -O2,
#                not tested again; it is the code of the two below.
#   build-asan   Debug + AddressSanitizer + UBSan: everything but the release binary's
#                tests: unit, lint (format, layering), integration (vidb, fixtures, tooling).
#                Its binaries say "commit unstamped", so a commit alone relinks nothing.
#   build-static the release configuration (scripts/build-static.sh --fixtures): dist/vidb
#                and static fixture binaries (the release binary with each test folder
#                packed in) run every integration test labelled vidb, fixtures or
#                static once: those labelled `server` in the matrix below, the others
#                (chroot, TLS, bad input, pack...) against Debian's PostgreSQL.
#                VIDB_SKIP_STATIC=1 leaves it out.
#   matrix       the tests labelled `server` against the oldest and newest supported
#                majors, PostgreSQL 13 and 18, from npm (scripts/test-matrix.sh; all six:
#                `make test-matrix`), with the release build's binaries (build/'s when
#                the static build is left out); VIDB_SKIP_MATRIX=1 leaves it out, and
#                then the release build's run takes the `server` tests back.
#
# Tests that share no state run in parallel (ctest -j 2*nproc; TEST_JOBS overrides),
# and the three test runs at the same time.
# ccache speeds up rebuilds when installed. Stops at the first failing run, so the last
# line is the CTest summary of the run that decided.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# Integration tests mostly wait (on PostgreSQL, on sleeps in the scenario), so twice
# as many as there are cores keep the cores busy: on 2 cores the sanitized run took
# 114 s at -j2 and 77 s at -j4.
test_jobs=${TEST_JOBS:-$((2 * jobs))}

if [[ ${VIDB_SKIP_MATRIX:-0} != 1 ]]; then
  scripts/install-deps.sh --matrix
else
  scripts/install-deps.sh
fi

stage() { printf '\n==> %s\n' "$*"; }

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

stage "build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
# Only what is compiled here: its fixtures are packed copies of this vidb, and nothing in
# `make test` runs them (`make build` and `make demo` build the whole tree).
cmake --build build -j "$jobs" --target vidb vidb_release vidb_unit_tests

stage "build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DVIDB_SANITIZE=address,undefined -DVIDB_STAMP_COMMIT=OFF \
  "${launcher[@]}" >/dev/null
cmake --build build-asan -j "$jobs"

static=1
[[ ${VIDB_SKIP_STATIC:-0} == 1 ]] && static=0
if ((static)); then
  stage "static build (dist/vidb and the fixtures, release configuration)"
  scripts/build-static.sh --fixtures
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The test runs share nothing (each has its own throwaway clusters, build tree and
# binaries), and mostly wait on PostgreSQL, so the release build's run and the matrix go
# on in the background while the sanitized run is in the foreground; their output is
# held back until it has ended, then printed in turn, the matrix's summary last.
logs=()
pids=()
# Also on Ctrl-C or a failure: the background runs (and their clusters) stop with us.
# Each runs in its own process group (set -m), so TERM reaches every process of it and
# each scripts/test-env.sh stops its cluster.
stop_background() {
  local pid
  for pid in "${pids[@]}"; do
    [[ -n $pid ]] && kill -TERM -- "-$pid" 2>/dev/null
  done
  rm -f "${logs[@]}"
}
trap stop_background EXIT
background() { # NAME COMMAND...: start COMMAND, output to a log; sets bg_index
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/vidb-test-$1.XXXXXX")
  shift
  set -m
  "$@" </dev/null >"$log" 2>&1 &
  set +m
  logs+=("$log")
  pids+=("$!")
  bg_index=$((${#pids[@]} - 1))
}
finish() { # INDEX TITLE: wait for that run, print its output, stop on its failure
  local rc=0
  wait "${pids[$1]}" || rc=$?
  pids[$1]=""
  stage "$2"
  cat "${logs[$1]}"
  ((rc == 0)) || exit "$rc"
}

static_index=""
matrix=1
[[ ${VIDB_SKIP_MATRIX:-0} == 1 ]] && matrix=0
# The release binary runs each of its tests once: a `server` test on 13 and 18 (in the
# matrix) proves as much of it as the same test on Debian's 15 would, at a third less work.
static_labels=(-L '^(vidb|fixtures|static)$')
((matrix)) && static_labels+=(-LE '^server$')
if ((static)); then
  background static env VIDB_TEST_BINARY="$PWD/dist/vidb" VIDB_REQUIRE_STATIC=1 \
    scripts/test-env.sh ctest --test-dir build-static --output-on-failure -j "$test_jobs" "${static_labels[@]}"
  static_index=$bg_index
fi
matrix_index=""
if ((matrix)); then
  if ((static)); then
    background matrix env BUILD_DIR=build-static VIDB_TEST_BINARY="$PWD/dist/vidb" scripts/test-matrix.sh 13 18
  else
    background matrix scripts/test-matrix.sh 13 18
  fi
  matrix_index=$bg_index
fi

stage "unit, lint and integration tests (sanitized build)"
asan_rc=0
scripts/test-env.sh ctest --test-dir build-asan --output-on-failure -j "$test_jobs" -LE '^static$' || asan_rc=$?
if ((asan_rc != 0)); then
  exit "$asan_rc" # the EXIT trap stops the background runs (test-env.sh cleans up on TERM)
fi
[[ -n $static_index ]] && finish "$static_index" "integration tests of the release build (dist/vidb, static fixtures)"
[[ -n $matrix_index ]] && finish "$matrix_index" "server-version matrix: the oldest and newest supported majors (release build)"
exit 0
