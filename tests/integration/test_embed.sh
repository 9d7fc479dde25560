#!/usr/bin/env bash
# ctest-labels: tooling
# Build-time embedding: bad folders fail the build naming the file; CRLF checkouts get
# the same checksum; adding, editing and removing a file rebuilds the binary.
source "$(dirname "$0")/lib.sh"
[[ -x ${VIDB_EMBED:-} ]] || fail "VIDB_EMBED not set"
dir=$(mktemp -d)
at_exit "rm -rf $dir"

expect_build_error() { # folder, text expected in the error, embedder options
  run "$VIDB_EMBED" "${@:3}" "$1" "$dir/out.cpp"
  [[ $RC != 0 ]] || fail "embedding $1 should fail"
  expect_err_contains "$2"
}
mk() { rm -rf "$dir/m"; mkdir -p "$dir/m"; }

mk; echo 'select 1;' >"$dir/m/0001_a.up.sql"; echo 'select 1;' >"$dir/m/001_b.up.sql"
expect_build_error "$dir/m" "001_b.up.sql: duplicate version 001"
mk; echo 'select 1;' >"$dir/m/0001_a.down.sql"
expect_build_error "$dir/m" "0001_a.down.sql: down migration without an up migration"
mk; echo 'select 1;' >"$dir/m/create_users.sql"
expect_build_error "$dir/m" "create_users.sql: not a migration file name" --format vidb
# Detected layout (golang-migrate's): a .sql file that is no migration is skipped with a warning.
run "$VIDB_EMBED" "$dir/m" "$dir/out.cpp"
expect_rc 0
expect_err_contains "warning: $dir/m/create_users.sql: skipped, not a migration file name"
mk; echo 'select 1;' >"$dir/m/0001_a.up.sql"; echo 'select 1;' >"$dir/m/0001_b.down.sql"
expect_build_error "$dir/m" "0001_b.down.sql: name differs"
mk; printf '\xef\xbb\xbfselect 1;\n' >"$dir/m/0001_bom.up.sql"
expect_build_error "$dir/m" "0001_bom.up.sql: starts with a UTF-8 byte order mark"
mk; printf 'select 1;\n-- caf\xe9\n' >"$dir/m/0001_latin1.up.sql"
expect_build_error "$dir/m" "0001_latin1.up.sql: is not valid UTF-8 (line 2)"
mk; printf 'select 1;\n' >"$dir/m/99999999999999999999_big.up.sql"
expect_build_error "$dir/m" "does not fit in a bigint"
expect_build_error "$dir/none" "migrations folder not found"

# Valid: empty and comment-only files, a README beside them, checks/.
mk; : >"$dir/m/0001_empty.up.sql"; echo '-- nothing' >"$dir/m/0002_comment.up.sql"; echo hi >"$dir/m/README.md"
mkdir "$dir/m/checks"; echo 'select 1;' >"$dir/m/checks/ok.sql"
run "$VIDB_EMBED" "$dir/m" "$dir/out.cpp"
expect_rc 0

# CRLF normalisation: the CRLF fixture's checksum is that of its LF text.
lf_sum=$(tr -d '\r' <"$VIDB_SOURCE_DIR/tests/fixtures/crlf/0001_crlf.up.sql" | sha256sum | cut -d' ' -f1)
run "$VIDB_FIXTURE_DIR/vidb_crlf" --json list
python3 -c 'import json,sys; assert json.loads(sys.argv[1])["migrations"][0]["checksum"]==sys.argv[2]' "$OUT" "$lf_sum" ||
  fail "CRLF checksum differs from LF"

# Rebuilds: the build tree's probe folder is embedded into vidb_rebuild_probe.
probe_dir="$VIDB_BUILD_DIR/rebuild-probe"
probe="$VIDB_FIXTURE_DIR/vidb_rebuild_probe"
rebuild() { cmake --build "$VIDB_BUILD_DIR" --target fixture_rebuild_probe >"$_tmp/build.log" 2>&1 || fail "rebuild: $(tail -5 "$_tmp/build.log")"; }
rm -f "$probe_dir"/*.sql
rebuild
run "$probe" --json list
expect_out_contains '"migrations":[]'
echo 'create table probe (id int);' >"$probe_dir/0001_probe.up.sql"
rebuild
run "$probe" list
expect_out_contains "0001_probe"
sum1=$(sha256sum "$probe_dir/0001_probe.up.sql" | cut -c1-12)
expect_out_contains "$sum1"
echo 'create table probe (id bigint);' >"$probe_dir/0001_probe.up.sql"
rebuild
run "$probe" list
expect_out_contains "$(sha256sum "$probe_dir/0001_probe.up.sql" | cut -c1-12)"
rm -f "$probe_dir/0001_probe.up.sql"
rebuild
run "$probe" --json list
expect_out_contains '"migrations":[]'
pass
