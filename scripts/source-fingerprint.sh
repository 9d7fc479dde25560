#!/usr/bin/env bash
# source-fingerprint.sh [EXTRA...]: one SHA-256 over every file a vidb binary is
# built from (sources, embedded sql/, build files) plus EXTRA (e.g. cmake options).
# scripts/build-static.sh stores it in dist/vidb.sources; tests compare it with the
# working tree to tell a current dist/vidb from a stale one. Content, not mtimes:
# switching branches back and forth does not make a binary stale.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  find main.cpp CMakeLists.txt cmake src sql tools scripts/build-static.sh scripts/build-libpq-static.sh \
    -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  printf 'options: %s\n' "$*"
} | sha256sum | cut -d' ' -f1
