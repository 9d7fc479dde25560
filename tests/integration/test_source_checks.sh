#!/usr/bin/env bash
# ctest-labels: fixtures tooling
# Files that would make the history lie never run: transaction control in a transactional
# file, COPY ... FROM STDIN, psql meta-commands, misspelt or misplaced directives. The
# build (vidb_embed) fails naming file:line; a binary built without those checks
# (unchecked_* fixtures) refuses at run time with exit 4 before changing anything.
# golang-migrate files with one outer BEGIN/COMMIT pair run in vidb's single transaction.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
[[ -x ${VIDB_EMBED:-} ]] || fail "VIDB_EMBED not set"
FIX=$VIDB_SOURCE_DIR/tests/fixtures

# --- Build time: one error line naming file:line and the fix.
embed_fails() { # folder, expected text
  run "$VIDB_EMBED" "$FIX/$1" "$_tmp/$1.cpp"
  expect_rc 1
  expect_err_contains "$2"
  _checks=$((_checks + 1))
  [[ $(wc -l <<<"$ERR") == 1 && $ERR == "vidb: error: "* ]] || fail "expected exactly one error line"
  [[ ! -e $_tmp/$1.cpp ]] || fail "output written for a refused folder"
}
embed_fails bad_two_transactions \
  "bad_two_transactions/0001_two_transactions.up.sql:3: COMMIT at the top level of a transactional migration"
expect_err_contains "or put \`-- vidb:no-transaction\` at the top of the file"
embed_fails bad_copy_stdin "0001_copy_rows.up.sql:2: COPY ... FROM STDIN needs rows that vidb does not send"
embed_fails bad_meta_command "0001_psql_script.up.sql:2: psql meta-command \\connect is not SQL"
embed_fails bad_directive_typo "0001_index.up.sql:2: unknown directive vidb:no-transactoin"
embed_fails bad_directive_late "0001_index.up.sql:2: the -- vidb:no-transaction directive comes after SQL"
# The same folders embed with --no-source-checks (how the unchecked_* fixtures are built).
run "$VIDB_EMBED" --no-source-checks "$FIX/bad_two_transactions" "$_tmp/unchecked.cpp"
expect_rc 0

fresh_db
history() {
  if [[ $(psql_val "select to_regclass('vidb_schema_migrations') is not null") == t ]]; then
    psql_val "select 'applied:' || coalesce(string_agg(version::text, ',' order by version), '') from vidb_schema_migrations"
  else
    echo "no history table"
  fi
}
locks() {
  if [[ $(psql_val "select to_regclass('vidb_migration_lock') is not null") == t ]]; then
    psql_val "select count(*) from vidb_migration_lock"
  else
    echo 0
  fi
}
table_exists() { psql_val "select to_regclass('$1') is not null"; }

# --- Run time: a binary whose files were not checked refuses, exit 4, nothing changed.
V=$VIDB_FIXTURE_DIR/vidb_unchecked_two_transactions
for args in "migrate" "migrate --dry-run"; do
  # shellcheck disable=SC2086
  run "$V" $args
  expect_rc 4
  expect_err_contains "vidb: error: migration 0002_two_transactions cannot run safely: 0002_two_transactions.up.sql:3: COMMIT at the top level"
  expect_err_contains "nothing was applied"
  expect_eq "$(history)" "no history table" "history after a refused $args"
  expect_eq "$(table_exists tc_first)" f "0001 (before the refused file) ran"
done
run "$V" migrate --to 1
expect_rc 0
run "$V" migrate
expect_rc 4
expect_eq "$(history)" "applied:1" "history after the refusal"
expect_eq "$(table_exists tc_a)" f "the refused file's first transaction ran"
expect_eq "$(locks)" 0 "lock rows"
run "$V" status
grep -Eq '^0002 +two_transactions +pending' <<<"$OUT" || fail "status does not show 0002 pending"

# COPY ... FROM STDIN: refused before it reaches the server, no lock row left behind.
fresh_db vidbtest_source_checks_copy_stdin
V=$VIDB_FIXTURE_DIR/vidb_unchecked_copy_stdin
run "$V" migrate
expect_rc 4
expect_err_contains "0001_copy_rows.up.sql:2: COPY ... FROM STDIN needs rows that vidb does not send"
expect_eq "$(locks)" 0 "lock rows after the COPY refusal"
expect_eq "$(history)" "no history table" "history after the COPY refusal"
expect_eq "$(table_exists copy_target)" f "copy_target"

# A COPY that does reach the server (a project check is not a migration): a clear error,
# and the connection stays usable for the next check.
fresh_db vidbtest_source_checks_copy
V=$VIDB_FIXTURE_DIR/vidb_copy_check
run "$V" migrate
expect_rc 0
run "$V" selftest
expect_rc 1
expect_check fail "checks/010_copy_rows.sql" "COPY ... FROM STDIN needs rows that vidb does not send"
expect_check pass "checks/015_copy_out.sql"
expect_check pass "checks/020_after_copy.sql"
expect_eq "$(locks)" 0 "lock rows after selftest"

# --- golang-migrate style: the outer BEGIN/COMMIT pair gives way to vidb's transaction.
fresh_db vidbtest_source_checks_golang
V=$VIDB_FIXTURE_DIR/vidb_golang_style
run "$V" migrate
expect_rc 1
expect_err_contains "migration 0002_gm_orders failed: invalid input syntax for type bigint"
# Positions still point into the file as written.
expect_err_contains "at 0002_gm_orders.up.sql:4:36"
expect_err_contains "nothing of 0002_gm_orders was applied"
expect_not_contains_anywhere "transaction in progress" # the file's BEGIN/COMMIT never reached the server
expect_eq "$(history)" "applied:1" "history"
expect_eq "$(psql_val "select count(*) from gm_accounts")" 1 "rows of 0001"
expect_eq "$(table_exists gm_orders)" f "table of the failed 0002"
run "$V" status
grep -Eq '^0002 +gm_orders +pending' <<<"$OUT" || fail "status does not show 0002 pending"
# The down file's pair is stripped too.
run "$V" revert
expect_rc 0
expect_not_contains_anywhere "transaction in progress"
expect_eq "$(history)" "applied:" "history after revert"
expect_eq "$(table_exists gm_accounts)" f "gm_accounts after revert"
# `show` prints the file as written (and checksummed), with its BEGIN.
run "$V" show 1
expect_out_contains "BEGIN;"
pass
