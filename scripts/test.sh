#!/usr/bin/env bash
# `make test`: install what is missing, build three configurations and test each
# thing once where it can break, against a throwaway PostgreSQL (scripts/test-env.sh):
#
#   build        RelWithDebInfo (build/, what `make build` and `make demo` use): built
#                with warnings as errors, not tested again; it is the code of the two below.
#   build-asan   Debug + AddressSanitizer + UBSan: everything but the release binary's
#                tests: unit, lint (format, layering), integration (vidb, fixtures, tooling).
#   build-static the release configuration (scripts/build-static.sh --fixtures): dist/vidb
#                and static fixture binaries run the integration tests labelled vidb,
#                fixtures or static (migrate, faults, concurrency, chroot, TLS).
#                VIDB_SKIP_STATIC=1 leaves it out.
#
# Tests that share no state run in parallel (ctest -j $(nproc); TEST_JOBS overrides).
# ccache speeds up rebuilds when installed. Stops at the first failing run, so the last
# line is the CTest summary of the run that decided.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
test_jobs=${TEST_JOBS:-$jobs}

scripts/install-deps.sh

stage() { printf '\n==> %s\n' "$*"; }

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

stage "build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build build -j "$jobs"

stage "build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DVIDB_SANITIZE=address,undefined "${launcher[@]}" >/dev/null
cmake --build build-asan -j "$jobs"

static=1
[[ ${VIDB_SKIP_STATIC:-0} == 1 ]] && static=0
if ((static)); then
  stage "static build (dist/vidb and the fixtures, release configuration)"
  scripts/build-static.sh --fixtures
fi

stage "unit, lint and integration tests (sanitized build)"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  scripts/test-env.sh ctest --test-dir build-asan --output-on-failure -j "$test_jobs" -LE '^static$'

if ((static)); then
  stage "integration tests of the release build (dist/vidb, static fixtures)"
  VIDB_TEST_BINARY="$PWD/dist/vidb" VIDB_REQUIRE_STATIC=1 \
    scripts/test-env.sh ctest --test-dir build-static --output-on-failure -j "$test_jobs" -L '^(vidb|fixtures|static)$'
fi
