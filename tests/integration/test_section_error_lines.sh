#!/usr/bin/env bash
# ctest-labels: vidb
# An error in a dbmate or goose section names the line the statement has in its file, not
# in the section: the section of a down (or of a goose up after its NO TRANSACTION line)
# starts part way into the file, and before this the line shown was counted from there
# (e.g. "x.sql:3" for a statement on line 7), in a transactional revert, in a
# no-transaction revert's "statement 2 of 2 (line N)" and "starts at", and in a
# no-transaction up's file:line:column.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
dir=$(mktemp -d)
at_exit "rm -rf $dir"

# pack_folder NAME FORMAT: $dir/NAME packed into $dir/NAME-app
pack_folder() {
  run_vidb pack "$dir/$1" -o "$dir/$1-app" --format "$2" --lint=off
  expect_rc 0
}

# --- dbmate, transactional down: the syntax error is on line 7 of the file, line 4 of
# the down section.
mkdir "$dir/tx"
cat >"$dir/tx/20240101000001_tx.sql" <<'SQL'
-- migrate:up
CREATE TABLE sec_tx (id int);

-- migrate:down
DROP TABLE sec_tx;

SELEC 'fails on line 7';
SQL
pack_folder tx dbmate
fresh_db vidbtest_section_lines_tx
run "$dir/tx-app" migrate
expect_rc 0
run "$dir/tx-app" revert
expect_rc 1
expect_err_contains "at 20240101000001_tx.sql:7:1"
expect_err_contains "7 | SELEC 'fails on line 7';"

# --- dbmate, no-transaction down: statement 2 of the down fails (no position: the
# statement's own line is shown) on line 6 of the file.
mkdir "$dir/notx"
cat >"$dir/notx/20240101000001_notx.sql" <<'SQL'
-- migrate:up
CREATE TABLE sec_notx (id int);
-- migrate:down transaction:false
DROP TABLE sec_notx;

DROP TABLE sec_notx_missing;
SQL
pack_folder notx dbmate
fresh_db vidbtest_section_lines_notx
run "$dir/notx-app" migrate
expect_rc 0
run "$dir/notx-app" revert
expect_rc 1
expect_err_contains "failed at statement 2 of 2 (line 6)"
expect_err_contains "the statement starts at 20240101000001_notx.sql:6"

# --- goose, no-transaction up after `-- +goose NO TRANSACTION`: the section starts on
# line 2; the syntax error is on line 6 of the file.
mkdir "$dir/goose"
cat >"$dir/goose/00001_goose.sql" <<'SQL'
-- +goose NO TRANSACTION
-- +goose Up
CREATE TABLE sec_goose (id int);

CREATE INDEX CONCURRENTLY sec_goose_id ON sec_goose (id);
SELEC 'fails on line 6';

-- +goose Down
DROP TABLE sec_goose;
SQL
pack_folder goose goose
fresh_db vidbtest_section_lines_goose
run "$dir/goose-app" migrate
expect_rc 1
expect_err_contains "failed at statement 3 of 3 (line 6)"
expect_err_contains "at 00001_goose.sql:6:1"
expect_err_contains "6 | SELEC 'fails on line 6';"
pass
