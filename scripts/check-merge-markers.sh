#!/usr/bin/env bash
# Fails when a tracked file still holds a merge's conflict markers: a merge once landed
# MIGRATIONS.md with five conflicts unresolved, and nothing noticed. Run by `make test`
# (lint.merge_markers). Exits 77 (skipped) outside a git checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "SKIP: not a git checkout"
  exit 77
fi
# A marker is one of these at the start of a line followed by a space or the line's end;
# "=======" alone is also Markdown's heading underline, so only the two outer ones count.
if git grep -n -I -E '^(<<<<<<<|>>>>>>>)( |$)' -- . ':!scripts/check-merge-markers.sh'; then
  echo "check-merge-markers: unresolved conflict markers above" >&2
  exit 1
fi
echo "no conflict markers in tracked files"
