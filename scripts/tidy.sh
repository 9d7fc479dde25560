#!/usr/bin/env bash
# tidy.sh [BUILD_DIR [BASE]]: clang-tidy (.clang-tidy) on the C++ sources changed
# since BASE (default: the merge base with origin/main or main, else HEAD~) plus uncommitted
# changes, with BUILD_DIR/compile_commands.json (default build). Headers are checked
# through the .cpp files that include them (HeaderFilterRegex). Exit 1 on findings.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
base=${2:-}
tidy=${CLANG_TIDY:-clang-tidy}
command -v "$tidy" >/dev/null 2>&1 || { echo "tidy: $tidy is not installed (apt-get install clang-tidy)" >&2; exit 2; }
[[ -f $build/compile_commands.json ]] || { echo "tidy: no $build/compile_commands.json (run make build)" >&2; exit 2; }
if [[ -z $base ]]; then
  base=$(git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main 2>/dev/null || true)
  # On main itself (or without either), the last commit is what changed.
  [[ -n $base && $base != "$(git rev-parse HEAD)" ]] || base=$(git rev-parse HEAD~ 2>/dev/null) ||
    { echo "tidy: no base commit (pass one: make tidy BASE=<commit>)" >&2; exit 2; }
fi
mapfile -t files < <({ git diff --name-only --diff-filter=d "$base" -- '*.cpp'; git ls-files --others --exclude-standard -- '*.cpp'; } |
  grep -E '^(main\.cpp|src/|tools/)' | sort -u)
if ((${#files[@]} == 0)); then
  echo "tidy: no C++ source changed since ${base:0:12}"
  exit 0
fi
echo "tidy: ${#files[@]} file(s) changed since ${base:0:12}: ${files[*]}"
# The compile commands are GCC's (e.g. -Wno-restrict), which clang does not know.
out=$("$tidy" -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option "${files[@]}" 2>&1) || true
printf '%s\n' "$out" | grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' || true
if grep -qE ': (warning|error): ' <<<"$out"; then
  echo "tidy: findings above" >&2
  exit 1
fi
echo "tidy: clean"
