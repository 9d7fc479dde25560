#!/usr/bin/env bash
# ctest-labels: vidb
# Usage errors: one clear line, exit 2; -h on every command; typos get a suggestion;
# `vidb new` numbering and name checks, in vidb's and other tools' layouts. Needs no database.
source "$(dirname "$0")/lib.sh"

one_error_line() {
  [[ $(grep -c 'vidb: error:' <<<"$ERR") == 1 ]] || fail "expected one error line"
  [[ $ERR != *"terminate called"* && $ERR != *"Aborted"* ]] || fail "crashed"
}

for command in migrate revert redo repair status list show new version ping wait selftest up down reset; do
  run_vidb "$command" -h
  expect_rc 0
  expect_out_contains "Usage:"
done

run_vidb
expect_rc 2
run_vidb migrat
expect_rc 2
expect_err_contains "did you mean 'migrate'?"
one_error_line
run_vidb stauts
expect_err_contains "did you mean 'status'?"
run_vidb frobnicate
expect_rc 2
expect_err_contains "unknown command 'frobnicate'"
run_vidb migrate --bogus-flag
expect_rc 2
one_error_line
run_vidb migrate --to abc
expect_rc 2
expect_err_contains "expected a migration version"
run_vidb revert -3
expect_rc 2
run_vidb revert 2 --all
expect_rc 2
run_vidb migrate --lock-timeout forever
expect_rc 2
expect_err_contains "--lock-timeout"
run_vidb wait --timeout soon
expect_rc 2
run_vidb show
expect_rc 2
run_vidb show 12x
expect_rc 2
run_vidb repair 1
expect_rc 2
expect_err_contains "exactly one of --resume, --forget or --accept-checksum"
run_vidb repair 1 --resume --accept-checksum
expect_rc 2
run_vidb unlock extra
expect_rc 2
run_vidb --url "$(head -c 100000 /dev/zero | tr '\0' x)" ping
expect_rc 2
one_error_line

run_vidb --version
expect_rc 0
expect_out_contains "embedded migrations"
run_vidb --json version
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["migrations"]>=1 and len(d["migrations_digest"])==64' "$OUT" || fail "version --json"

# vidb new: next number in the project's style, both files, bad names refused.
dir=$(mktemp -d)
at_exit "rm -rf $dir"
mkdir "$dir/sql"
(cd "$dir" && "$VIDB" new create_users) >/dev/null || fail "new in empty folder"
[[ -f $dir/sql/0001_create_users.up.sql && -f $dir/sql/0001_create_users.down.sql ]] || fail "0001 pair not created"
(cd "$dir" && "$VIDB" new add_email) >/dev/null
[[ -f $dir/sql/0002_add_email.up.sql ]] || fail "0002 not created"
touch "$dir/sql/20260101120000_stamp.up.sql"
(cd "$dir" && "$VIDB" new by_time) >/dev/null
ls "$dir/sql" | grep -Eq '^20[0-9]{12}_by_time\.up\.sql$' || fail "timestamp numbering not followed: $(ls "$dir/sql")"
for bad in "" "../escape" "a/b" 'semi;colon' "sp ace"; do
  run bash -c "cd '$dir' && '$VIDB' new '$bad'"
  expect_rc 2
  one_error_line
done
[[ ! -e $dir/escape.up.sql && $(find "$dir" -name '*escape*' | wc -l) == 0 ]] || fail "path escaped"
run bash -c "cd '$dir' && '$VIDB' new x --dir nowhere"
expect_rc 2

# In another tool's folder, vidb new writes that tool's file, and the folder still builds
# (vidb_embed reads it with the new file).
F=$VIDB_SOURCE_DIR/tests/fixtures
for layout in dbmate goose flyway; do
  cp -r "$F/layout_$layout" "$dir/$layout"
done
run_vidb new add_notes --dir "$dir/dbmate"
expect_rc 0
new_file=$(ls "$dir/dbmate" | grep -E '_add_notes\.sql$') || fail "no dbmate file: $(ls "$dir/dbmate")"
expect_eq "$(head -n 1 "$dir/dbmate/$new_file")" "-- migrate:up" "dbmate sections"
run_vidb --json new add_notes --dir "$dir/goose"
expect_rc 0
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert len(d["created"])==1 and d["created"][0].endswith("_add_notes.sql"), d' "$OUT" ||
  fail "new --json in a goose folder: one file"
expect_eq "$(head -n 1 "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["created"][0])' "$OUT")")" \
  "-- +goose Up" "goose sections"
run_vidb new add_notes --dir "$dir/flyway"
expect_rc 0
expect_out_contains "created $dir/flyway/V4__add_notes.sql"
for layout in dbmate goose flyway; do
  run "$VIDB_EMBED" --lint=off "$dir/$layout" "$dir/$layout.cpp" "$dir/$layout-data"
  expect_rc 0
  grep -q '_add_notes' "$dir/$layout.cpp" || fail "the $layout folder's new file is not embedded"
done
run_vidb new x --dir "$dir/flyway" --format liquibase
expect_rc 2
pass
