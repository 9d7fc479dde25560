#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan) and run each one for SECONDS on a
# temporary copy of its checked-in corpus (fuzz/corpus/<target>/).
#
#   scripts/fuzz.sh [SECONDS]              default 30 per target (make fuzz FUZZ_SECONDS=300)
#   FUZZ_TARGETS="conninfo" scripts/fuzz.sh 600
#   FUZZ_RUNS=2000 scripts/fuzz.sh         every seed, then 2000 inputs from a fixed random
#                                          seed: the same work on every machine (the CI smoke)
#
# FUZZ_BUILD_DIR (default build-fuzz) and FUZZ_JOBS (default 2) set where and how wide it
# builds. Exits 1 when a target crashes, leaks, times out or fails one of its checks; the
# input that did it is kept in $FUZZ_BUILD_DIR/crashes/<target>/ (once fixed, add it to
# fuzz/corpus/<target>/ so it is tried on every run). New inputs found are not kept.
set -euo pipefail

prog=fuzz.sh
die() { echo "$prog: $*" >&2; exit 2; }

seconds=${1:-30}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/fuzz.sh [SECONDS]  (got '$seconds')"
runs=${FUZZ_RUNS:-}
[[ -z $runs || $runs =~ ^[0-9]+$ ]] || die "FUZZ_RUNS must be a number (got '$runs')"
# A time limit explores as far as the machine goes; a run count is reproducible (and a
# 1 s limit cost libFuzzer 2 s per target, its clock being coarse).
if [[ -n $runs ]]; then
  budget=(-runs="$runs" -seed=1)
  budget_text="$runs inputs"
else
  budget=(-max_total_time="$seconds")
  budget_text="${seconds} s"
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-2}
read -r -a targets <<<"${FUZZ_TARGETS:-sql_lexer file_name conninfo index_statement lint pack_payload source_layout}"

if ! command -v clang >/dev/null 2>&1 || ! command -v clang++ >/dev/null 2>&1; then
  die "clang and clang++ are needed for libFuzzer (apt-get install clang)"
fi

# Configure every time (quick when nothing changed): a build folder configured before a
# fuzz target was added has no rule for it, and make cannot learn one mid-build.
[[ -f $build/CMakeCache.txt ]] || echo "$prog: configuring $build"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DVIDB_FUZZ=ON -DVIDB_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >"$build.configure.log" 2>&1 ||
  { tail -n 30 "$build.configure.log" >&2; die "cmake could not configure $build"; }
rm -f "$build.configure.log"
names=()
for target in "${targets[@]}"; do
  [[ -f $root/fuzz/fuzz_$target.cpp ]] || die "no fuzz target fuzz/fuzz_$target.cpp"
  names+=("fuzz_$target")
done
cmake --build "$build" -j "$jobs" --target "${names[@]}" >"$build/fuzz-build.log" 2>&1 ||
  { tail -n 40 "$build/fuzz-build.log" >&2; die "build failed (log: $build/fuzz-build.log)"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/vidb-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Leaks count as failures; UBSan findings stop the run (-fno-sanitize-recover as well).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for target in "${targets[@]}"; do
  corpus=$work/$target
  crashes=$build/crashes/$target
  mkdir -p "$corpus" "$crashes"
  if [[ -d $root/fuzz/corpus/$target ]]; then
    cp -R "$root/fuzz/corpus/$target/." "$corpus/"
  fi
  seeds=$(find "$corpus" -type f | wc -l)
  log=$work/$target.log
  rc=0
  "$build/fuzz/fuzz_$target" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1 || rc=$?
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n1 || true)
  if ((rc == 0)); then
    echo "fuzz_$target: ok, ${executed:-?} runs (budget $budget_text) from $seeds seeds (${cov:-no stats})"
  else
    failed+=("$target")
    echo "fuzz_$target: FAILED (exit $rc) after ${executed:-?} runs; input kept in $crashes/" >&2
    grep -E -A 25 '==[0-9]+==ERROR|runtime error|deadly signal|Test unit written' "$log" | head -n 60 >&2 ||
      tail -n 40 "$log" >&2
  fi
done
if ((${#failed[@]})); then
  echo "$prog: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
