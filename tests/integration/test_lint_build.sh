#!/usr/bin/env bash
# ctest-labels: tooling
# The build-time hook of vidb lint (issue 14): vidb_embed --lint=warn prints findings and
# builds, --lint=error fails the build on an error finding (cmake -DVIDB_LINT=...), off
# (fixtures) is silent; a -- vidb:allow waiver is a directive the source check accepts.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
[[ -x ${VIDB_EMBED:-} ]] || fail "VIDB_EMBED not set"
dir=$_tmp/m
mkdir -p "$dir"
printf 'CREATE TABLE t (id bigint PRIMARY KEY, name varchar(5));\n' >"$dir/0001_t.up.sql"
printf 'ALTER TABLE t ALTER COLUMN id TYPE numeric;\n' >"$dir/0002_type.up.sql"

run "$VIDB_EMBED" --lint=warn "$dir" "$_tmp/out.cpp"
expect_rc 0
expect_err_contains "$dir/0001_t.up.sql:1:45: warning: column name is varchar(n)"
expect_err_contains "$dir/0002_type.up.sql:1:28: warning: changing the type of column id"
[[ -f $_tmp/out.cpp ]] || fail "warn mode did not embed"

rm -f "$_tmp/out.cpp"
run "$VIDB_EMBED" --lint=error "$dir" "$_tmp/out.cpp"
expect_rc 1
expect_err_contains "$dir/0002_type.up.sql:1:28: error: changing the type of column id"
expect_err_contains "$dir/0001_t.up.sql:1:45: warning:"
expect_err_contains "vidb: error: 1 lint error finding in $dir (-DVIDB_LINT=error)"
[[ ! -f $_tmp/out.cpp ]] || fail "error mode embedded anyway"

run "$VIDB_EMBED" "$dir" "$_tmp/out.cpp"
expect_rc 0
expect_eq "$ERR" "" "stderr without --lint"

# A waiver with its reason lets the error build pass, and the source check accepts it.
printf -- '-- vidb:allow alter-column-type the table is empty in every environment\nALTER TABLE t ALTER COLUMN id TYPE numeric;\n' \
  >"$dir/0002_type.up.sql"
run "$VIDB_EMBED" --lint=error "$dir" "$_tmp/out.cpp"
expect_rc 0
[[ $ERR != *alter-column-type* ]] || fail "waived finding printed: $ERR"
pass
