#!/usr/bin/env bash
# ctest-labels: fixtures
# statement_timeout: a role's default (ALTER ROLE ... SET statement_timeout) does not
# kill a migration half way (vidb runs migration statements with no limit unless
# --statement-timeout / VIDB_STATEMENT_TIMEOUT says otherwise); when the limit vidb set
# cancels a statement, the error names the setting and the flag, exit 1, nothing applied.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
F=$VIDB_FIXTURE_DIR
# faults_slow's 0002 sleeps vidb_test.sleep seconds (set through the connection options).
export PGOPTIONS="-c vidb_test.sleep=0.5"

# limited DB: the connecting role gets a 200ms statement_timeout in database DB.
limited() {
  PSQL_URL=$ADMIN_DATABASE_URL psql_val "ALTER ROLE CURRENT_USER IN DATABASE \"$1\" SET statement_timeout = '200ms'" >/dev/null
  expect_eq "$(psql_val "show statement_timeout")" 200ms "the role's default applies in new sessions"
}

fresh_db vidbtest_stmt_timeout_role
limited vidbtest_stmt_timeout_role
at_exit "PSQL_URL=\$ADMIN_DATABASE_URL psql_val 'ALTER ROLE CURRENT_USER IN DATABASE vidbtest_stmt_timeout_role RESET ALL' >/dev/null"
run "$F/vidb_faults_slow" migrate
expect_rc 0
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations")" "1,2" \
  "the 0.5 s migration ran to the end despite the role's 200ms"
expect_eq "$(psql_val "select count(*) from slow_items")" 2

# --statement-timeout: vidb's own limit cancels it, with advice; nothing of it stays.
fresh_db vidbtest_stmt_timeout_flag
run "$F/vidb_faults_slow" migrate --to 1
expect_rc 0
run "$F/vidb_faults_slow" migrate --statement-timeout 100ms
expect_rc 1
expect_err_contains "canceling statement due to statement timeout"
expect_err_contains "SQLSTATE 57014"
expect_err_contains "statement_timeout (100ms), which vidb set from --statement-timeout (env VIDB_STATEMENT_TIMEOUT)"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "0002 not recorded"
expect_eq "$(psql_val "select to_regclass('slow_items') is null")" t "0002 rolled back"

# The same through the environment; a malformed value is a usage error naming the variable.
VIDB_STATEMENT_TIMEOUT=100ms run "$F/vidb_faults_slow" migrate
expect_rc 1
expect_err_contains "statement_timeout (100ms)"
VIDB_STATEMENT_TIMEOUT=soon run "$F/vidb_faults_slow" migrate
expect_rc 2
expect_err_contains "VIDB_STATEMENT_TIMEOUT: expected a duration"
VIDB_STATEMENT_TIMEOUT=100ms run "$F/vidb_faults_slow" migrate --statement-timeout 0
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "the flag overrides the variable"
pass
