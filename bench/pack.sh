#!/usr/bin/env bash
# Packed vs compiled in (bench/RESULTS.md, "Packed vs compiled in"): builds vidb with a
# generated 146-file folder compiled in (build-bench-pack/, Release, ccache), packs the
# same folder into a copy of that binary, and times both on a throwaway PostgreSQL.
# BENCH_PACK_BUILD_DIR=build-static re-points an existing build folder instead (only the
# embedded-migrations library is rebuilt, and the static binary is what is measured).
#
#   bench/pack.sh   # writes bench/pack.md, which RESULTS.md includes (bench.py)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
work=$ROOT/bench/results/pack
build=${BENCH_PACK_BUILD_DIR:-$ROOT/build-bench-pack}
rm -rf "$work" && mkdir -p "$work/sql" "$work/many"
for i in $(seq 1 73); do
  printf 'CREATE TABLE t_%d (id bigint PRIMARY KEY, v text);\n' "$i" >"$work/sql/$(printf %05d "$i")_t_$i.up.sql"
  printf 'DROP TABLE t_%d;\n' "$i" >"$work/sql/$(printf %05d "$i")_t_$i.down.sql"
done
for i in $(seq 1 1000); do printf 'SELECT %d;\n' "$i" >"$work/many/$(printf %05d "$i")_m.up.sql"; done
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [[ -f $build/CMakeCache.txt && -n ${BENCH_PACK_BUILD_DIR:-} ]]; then
  # Put the folder's own setting back afterwards: a later build there must not carry ours.
  previous=$(sed -n 's/^VIDB_MIGRATIONS_DIR:PATH=//p' "$build/CMakeCache.txt")
  trap 'cmake -S . -B "$build" -DVIDB_MIGRATIONS_DIR="$previous" >/dev/null' EXIT
  cmake -S . -B "$build" -DVIDB_MIGRATIONS_DIR="$work/sql" >/dev/null
else
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DVIDB_BUILD_TESTS=OFF "${launcher[@]}" \
    -DVIDB_MIGRATIONS_DIR="$work/sql" >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target vidb >/dev/null
"$build/vidb" pack "$work/sql" -o "$work/packed-vidb" >/dev/null
table=$(scripts/test-env.sh python3 bench/pack.py "$build" "$work" | grep -v '^DATABASE_URL=')
{
  echo "## Packed vs compiled in"
  echo
  echo "Written by \`bench/pack.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
  echo "the same 146-file folder (73 migrations with their downs) compiled into vidb ($("$build/vidb" --version | sed -n '1s/.*(commit [0-9a-f]*, //; 1s/)$//p'), $("$build/vidb" --version | sed -n '2s/^libpq [^,]*, //; 2s/,.*//p')), and"
  echo "packed by \`vidb pack\` into a copy of that same binary. Median wall time per process, rounds alternating."
  echo
  echo "$table"
  echo
  echo "A packed vidb reads only its trailer and payload (two \`pread\`s), verifies the payload's"
  echo "SHA-256 and parses the files with the embedder's rules; the SHA-256 is OpenSSL's low-level"
  echo "one, so nothing initialises OpenSSL's providers for it. Commands that need no migrations"
  echo "(\`ping\`, \`wait\`, \`up\`...) do not read the payload at all."
} >bench/pack.md
cat bench/pack.md
