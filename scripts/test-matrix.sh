#!/usr/bin/env bash
# The server-version matrix: the integration tests labelled `server` (see
# tests/integration/CMakeLists.txt) against each PostgreSQL major, each major on its
# own throwaway cluster + PgBouncer (scripts/test-env.sh), then one table.
#
#   scripts/test-matrix.sh            # 13 14 15 16 17 18 (make test-matrix)
#   scripts/test-matrix.sh 13 18      # the oldest and newest (CI, scripts/test.sh)
#
# Needs a build (BUILD_DIR, default build) with vidb and the fixtures; installs the
# pinned servers first (scripts/install-pg-matrix.sh). vidb up's tests use the same
# major (VIDB_PG_BINDIR). MATRIX_JOBS majors run at once (default: the number of CPUs,
# at most 3); MATRIX_CTEST_JOBS tests at once within a major (default 2).
# Logs: BUILD_DIR/test-matrix/<major>.log. Exit 0 only when nothing failed.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
majors=("$@")
((${#majors[@]})) || majors=(13 14 15 16 17 18)
for major in "${majors[@]}"; do
  [[ $major =~ ^[0-9]+$ ]] || { echo "usage: $0 [MAJOR...]" >&2; exit 2; }
done
cpus=$(nproc 2>/dev/null || echo 2)
jobs=${MATRIX_JOBS:-$((cpus < 3 ? cpus : 3))}
ctest_jobs=${MATRIX_CTEST_JOBS:-2}

[[ -x $build/vidb ]] || { echo "test-matrix: no $build/vidb: build first (make build)" >&2; exit 1; }
scripts/install-pg-matrix.sh "${majors[@]}"

out=$build/test-matrix
mkdir -p "$out"
build=$(cd "$build" && pwd)
out=$(cd "$out" && pwd)

run_major() {  # MAJOR: ctest's summary and log in $out/MAJOR.{log,rc}
  local major=$1 bindir
  bindir=$(scripts/install-pg-matrix.sh --bindir "$major")
  local start=$SECONDS rc=0
  PG_BINDIR=$bindir VIDB_PG_BINDIR=$bindir VIDB_MATRIX_MAJOR=$major scripts/test-env.sh \
    ctest --test-dir "$build" -L server --output-on-failure -j "$ctest_jobs" \
    >"$out/$major.log" 2>&1 || rc=$?
  echo "$rc $((SECONDS - start))" >"$out/$major.rc"
  echo "test-matrix: PostgreSQL $major done in $((SECONDS - start)) s (exit $rc)"
}

started=$SECONDS
echo "test-matrix: PostgreSQL ${majors[*]}, $jobs at a time, logs in $out"
running=()
for major in "${majors[@]}"; do
  rm -f "$out/$major.rc" "$out/$major.log"
  while (($(jobs -rp | wc -l) >= jobs)); do
    wait -n || true
  done
  run_major "$major" &
  running+=($!)
done
for pid in "${running[@]}"; do
  wait "$pid" || true
done
wall=$((SECONDS - started))

# One row per test, one column per major, from CTest's per-test lines:
#   " 3/17 Test  #9: integration.test_migrate_locks ....***Failed   12.3 sec"
declare -A result=()
tests=()
for major in "${majors[@]}"; do
  [[ -f $out/$major.log ]] || continue
  while IFS=$'\t' read -r name status; do
    name=${name#integration.}
    tests+=("$name")
    case $status in
      Passed) result[$name,$major]=pass ;;
      Skipped | Not\ Run*) result[$name,$major]=skip ;;
      *) result[$name,$major]=FAIL ;;
    esac
  done < <(sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) \.*[ *]*([A-Za-z][A-Za-z ]*[A-Za-z]).*/\1\t\2/p' "$out/$major.log" |
    sed -E 's/\t(Passed|Skipped|Failed|Timeout|Not Run|Exception|Subprocess).*/\t\1/')
done
mapfile -t tests < <(printf '%s\n' "${tests[@]}" | sort -u)

failed=0
declare -A cells=([pass]=0 [FAIL]=0 [skip]=0 [-]=0)
printf '\n%-34s' "test"
for major in "${majors[@]}"; do printf ' %5s' "$major"; done
printf '\n'
for name in "${tests[@]}"; do
  printf '%-34s' "$name"
  for major in "${majors[@]}"; do
    cell=${result[$name,$major]:--}
    [[ $cell != FAIL ]] || failed=1
    cells[$cell]=$((${cells[$cell]} + 1))
    printf ' %5s' "$cell"
  done
  printf '\n'
done
printf '%-34s' "(cluster, exit code, seconds)"
for major in "${majors[@]}"; do
  read -r rc secs <"$out/$major.rc" 2>/dev/null || { rc='?'; secs='?'; }
  [[ $rc == 0 ]] || failed=1
  printf ' %5s' "$rc/$secs"
done
printf '\n\ntest-matrix: %d majors in %d s wall time; %s\n' "${#majors[@]}" "$wall" \
  "$( ((failed)) && echo "FAILED (see $out/<major>.log)" || echo "all passed")"
# The plain closing line CI reads, over every (test, major) cell ("-", not in that major's log, counts as skipped).
printf 'matrix: %d passed, %d failed, %d skipped\n' "${cells[pass]}" "${cells[FAIL]}" $((${cells[skip]} + ${cells[-]}))
exit "$failed"
