#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# --json is one JSON document on stdout for every command: revert --dry-run lists what it
# would revert, show is JSON, and a command that fails still prints a document with what
# it did before the failure and the error (message, details, exit code, SQLSTATE).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
fresh_db
broken="$VIDB_FIXTURE_DIR/vidb_broken"
[[ -x $broken ]] || fail "fixture not built: $broken"

# expect_json FILTER EXPECTED [WHAT]: jq FILTER on stdout (which must be one JSON document).
expect_json() {
  local value
  value=$(jq -ec . <<<"$OUT" >/dev/null && jq -r "$1" <<<"$OUT" | tr '\n' ' ' | sed 's/ $//') ||
    fail "stdout is not one JSON document: $OUT"
  expect_eq "$value" "$2" "${3:-$1}"
}

run_vidb --json migrate
expect_rc 0
expect_json '.ok, .applied[0].name, .applied[0].direction' "true create_projects up"

run_vidb --json revert --dry-run
expect_rc 0
expect_json '.ok, .dry_run, (.planned | join(",")), (.reverted | length)' "true true 0001_create_projects 0"
expect_eq "$(psql_val 'select count(*) from vidb_schema_migrations')" 1 "still applied after revert --dry-run"
run_vidb --json revert --dry-run --all
expect_json '.planned | length' 1

run_vidb --json show 1
expect_rc 0
expect_json '.ok, .version, .name, .direction, .file' "true 1 create_projects up 0001_create_projects.up.sql"
sql=$(jq -r .sql <<<"$OUT")
run_vidb show 1
expect_eq "$sql" "$OUT" "show --json .sql is the file"

run_vidb --json status
expect_json '.ok, .migrations[0].state, .summary.applied' "true applied 1"
run_vidb --json list
expect_json '.ok, .migrations[0].version' "true 1"
run_vidb --json ping
expect_json '.ok' true
run_vidb --json wait --timeout 5s
expect_json '.ok' true
run_vidb --json version
expect_json '.ok, (.migrations_digest | length > 0)' "true true"
run_vidb --json selftest
expect_rc 0
expect_json '.ok, .failed' "true 0"

# A password equal to a key of the document masks values, never the document's keys.
role="vidb_json_mask_$$"
at_exit "printf '%s\\n' 'DROP OWNED BY $role; DROP ROLE IF EXISTS $role;' | PSQL_URL=\$ADMIN_DATABASE_URL _psql >/dev/null 2>&1"
printf '%s\n' "CREATE ROLE $role LOGIN SUPERUSER PASSWORD 'database';" | PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null
mask_url="postgresql://$role:database@${DATABASE_URL#*@}"
run_vidb --json --url "$mask_url" ping
expect_rc 0
expect_json '.ok, has("database"), has("***")' "true true false" "ping --json with password 'database'"
run_vidb --json --url "$mask_url" status
expect_json '.ok, has("database"), .summary.applied' "true true 1" "status --json with password 'database'"
run_vidb --json --url "$mask_url" selftest
expect_json '.ok' true "selftest --json with password 'database'"

# A migration that fails after another ran: the document says what was applied and why it stopped.
fresh_db vidbtest_json_output_broken
run "$broken" --json migrate
expect_rc 1
expect_json '.ok, .error.exit_code, .error.sqlstate, (.steps | map(.name) | join(","))' \
  "false 1 42703 create_accounts" "failed migrate --json"
expect_json '.error.message | test("0002_broken")' true
expect_json '.error.details | length > 0' true
expect_err_contains "vidb: error:"

# Every command with --json prints a JSON document when it fails, with the exit code.
dead="postgresql://nobody:dead-secret-9@127.0.0.1:1/none"
for command in migrate revert "revert --dry-run" redo "repair 1 --resume" status ping "reset --yes" \
  "wait --timeout 1s" "show 99" "show 1 --down --bogus" "new" "migrate --to x" "nosuchcommand"; do
  # shellcheck disable=SC2086  # the command's words
  run_vidb --json --url "$dead" $command
  [[ $RC != 0 ]] || fail "$command: expected a failure"
  expect_json '.ok, (.error.exit_code | tostring) == "'"$RC"'", (.error.message | length > 0)' "false true true" \
    "$command --json on failure"
  expect_not_contains_anywhere "dead-secret-9"
done
run_vidb --json
expect_rc 2
expect_json '.ok, .error.exit_code' "false 2" "--json without a command"
# selftest reports an unreachable database as its own report, still JSON.
run_vidb --json --url "$dead" selftest
expect_rc 3
expect_json '.ok, .checks[0].name, .checks[0].status' "false connect fail"
pass
