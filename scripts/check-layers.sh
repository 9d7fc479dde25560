#!/usr/bin/env bash
# Fails on any #include that points up the layers (ARCHITECTURE.md, "Layers"):
#
#   cli -> migrate / selftest / schema / localdb / lint -> db / config -> common
#
# A folder of src/ may include itself and the folders below it; selftest, localdb,
# schema and lint use migrate (its history, planner, applier, source checks and
# folders and the catalog reader), db uses config (secrets to
# mask), nothing below cli includes cli, and nothing includes selftest, localdb or lint
# but cli (schema: cli).
#
#   scripts/check-layers.sh [SOURCE_ROOT]   # check SOURCE_ROOT/src (default: this repository)
#   scripts/check-layers.sh --self-test     # prove the check fails on a bad include
set -euo pipefail

declare -A allowed=(
  [common]="common"
  [config]="config common"
  [db]="db config common"
  [migrate]="migrate db config common"
  [selftest]="selftest migrate db config common"
  [schema]="schema migrate db config common"
  [localdb]="localdb migrate db config common"
  [lint]="lint migrate db config common"
  [cli]="cli selftest schema localdb lint migrate db config common"
)

check() {
  local root=$1 bad=0 file layer target line
  for layer in $(find "$root/src" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort); do
    if [[ -z ${allowed[$layer]+set} ]]; then
      echo "check-layers: src/$layer is not in the layer table of scripts/check-layers.sh (and ARCHITECTURE.md)" >&2
      bad=1
      continue
    fi
    while IFS= read -r -d '' file; do
      while IFS= read -r line; do
        target=${line#*\"}
        target=${target%%/*}
        if [[ " ${allowed[$layer]} " != *" $target "* ]]; then
          echo "check-layers: ${file#"$root"/}: includes \"${line#*\"} against the layers ($layer may include: ${allowed[$layer]})" >&2
          bad=1
        fi
      done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]+/' "$file" || true)
    done < <(find "$root/src/$layer" -type f \( -name '*.h' -o -name '*.cpp' \) -print0)
  done
  return "$bad"
}

self_test() {
  local here
  here=$(cd "$(dirname "$0")/.." && pwd)
  tmp=$(mktemp -d)  # global: the EXIT trap needs it
  trap 'rm -rf "$tmp"' EXIT
  cp -r "$here/src" "$tmp/src"
  check "$tmp" || { echo "check-layers: self-test: the clean tree fails" >&2; return 1; }
  # selftest reaching up into cli: what report_json.cpp once did.
  printf '#include "cli/output.h"\n' >>"$tmp/src/selftest/report_json.cpp"
  if check "$tmp" 2>"$tmp/err"; then
    echo "check-layers: self-test: an include of cli/ from selftest/ was not caught" >&2
    return 1
  fi
  grep -q 'src/selftest/report_json.cpp: includes "cli/output.h"' "$tmp/err" ||
    { echo "check-layers: self-test: the report does not name the file:" >&2; cat "$tmp/err" >&2; return 1; }
  # An unknown folder must be placed in the table, not silently allowed everything.
  cp -r "$here/src" "$tmp/src2" && rm -rf "$tmp/src" && mv "$tmp/src2" "$tmp/src"
  mkdir "$tmp/src/newlayer" && printf '#include "cli/app.h"\n' >"$tmp/src/newlayer/x.cpp"
  if check "$tmp" 2>/dev/null; then
    echo "check-layers: self-test: a folder outside the layer table was not caught" >&2
    return 1
  fi
  echo "check-layers: self-test passed"
}

if [[ ${1:-} == --self-test ]]; then
  self_test
else
  check "${1:-$(cd "$(dirname "$0")/.." && pwd)}" && echo "check-layers: every include follows the layers"
fi
