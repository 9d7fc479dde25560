#!/usr/bin/env bash
# ctest-labels: tooling
# A short libFuzzer run of every target (scripts/fuzz.sh) on the checked-in corpora:
# every seed is replayed, then 2000 mutated inputs from a fixed random seed (the same
# inputs on every run, so a failure here is reproducible); a crash, leak or failed check
# fails the test. Skipped without clang. Needs no database. FUZZ_SMOKE_RUNS changes the
# number of inputs; long, time-bound runs are `make fuzz`.
source "$(dirname "$0")/lib.sh"
if ! command -v clang >/dev/null 2>&1 || ! command -v clang++ >/dev/null 2>&1; then
  echo "SKIP: clang is not installed (libFuzzer needs it)"
  exit 77
fi
# A build folder of its own inside this build tree: the developer's build-fuzz is left alone.
export FUZZ_BUILD_DIR=${VIDB_BUILD_DIR:-$_tmp}/fuzz-smoke
run env FUZZ_RUNS="${FUZZ_SMOKE_RUNS:-2000}" "$REPO_ROOT/scripts/fuzz.sh"
printf '%s\n' "$OUT"
expect_rc 0
for target in sql_lexer file_name conninfo index_statement lint pack_payload source_layout; do
  expect_out_contains "fuzz_$target: ok"
done
pass
