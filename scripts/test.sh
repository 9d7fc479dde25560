#!/usr/bin/env bash
# `make test`: install what is missing, build, and run every test against a
# throwaway PostgreSQL (scripts/test-env.sh) three times over:
#   1. the normal build (unit + integration),
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build,
#   3. the integration suite against the static dist/vidb (skipped with VIDB_SKIP_STATIC=1),
#   4. the server-version matrix's oldest and newest majors, PostgreSQL 13 and 18
#      (scripts/test-matrix.sh; all six: `make test-matrix`; skipped with VIDB_SKIP_MATRIX=1).
# Stops at the first failing run, so the last line is always the summary of the run that decided.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

if [[ ${VIDB_SKIP_MATRIX:-0} != 1 ]]; then
  scripts/install-deps.sh --matrix
else
  scripts/install-deps.sh
fi

stage() { printf '\n==> %s\n' "$*"; }

stage "build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"

stage "build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DVIDB_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$jobs"

if [[ ${VIDB_SKIP_STATIC:-0} != 1 ]]; then
  stage "static build (dist/vidb)"
  scripts/build-static.sh
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

stage "test suite (sanitized build)"
scripts/test-env.sh ctest --test-dir build-asan --output-on-failure -j 2

if [[ ${VIDB_SKIP_STATIC:-0} != 1 ]]; then
  stage "integration suite against the static dist/vidb"
  VIDB_TEST_BINARY="$PWD/dist/vidb" scripts/test-env.sh ctest --test-dir build --output-on-failure -L integration -j 2
fi

stage "test suite (normal build)"
scripts/test-env.sh ctest --test-dir build --output-on-failure -j 2

if [[ ${VIDB_SKIP_MATRIX:-0} != 1 ]]; then
  stage "server-version matrix: the oldest and newest supported majors"
  scripts/test-matrix.sh 13 18
fi
