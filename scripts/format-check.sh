#!/usr/bin/env bash
# format-check.sh: fail (exit 1) when a C++ file differs from what clang-format
# (.clang-format) makes of it, naming file and line; exit 77 without clang-format.
# `make format-check` and the CTest test lint.format run it; `make format` fixes.
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "SKIP: $clang_format is not installed (apt-get install clang-format)"
  exit 77
fi
mapfile -t files < <(find main.cpp src tests/unit tools fuzz -name '*.cpp' -o -name '*.h' | sort)
if ! "$clang_format" --dry-run --Werror "${files[@]}"; then
  echo "format-check: the files above are not formatted; run: make format" >&2
  exit 1
fi
echo "format-check: ${#files[@]} files formatted"
