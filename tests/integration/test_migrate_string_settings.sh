#!/usr/bin/env bash
# ctest-labels: fixtures
# vidb reads migration files with standard_conforming_strings = on, PostgreSQL's default.
# A database (or role) that turns it off must not make the server read the file otherwise:
# there, 'a\''; COMMIT; --' hides a COMMIT that would commit vidb's history row before the
# failing ALTER below it. vidb sends migrations with the setting on, so nothing is applied.
source "$(dirname "$0")/lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_scs_off"
db=$(psql_val "select current_database()")
PSQL_URL=$ADMIN_DATABASE_URL psql_val "alter database \"$db\" set standard_conforming_strings = off" >/dev/null
expect_eq "$(psql_val "show standard_conforming_strings")" off "the database default"

run "$V" migrate
expect_rc 1
expect_err_contains 'relation "scs_missing" does not exist'
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 0 "no history row"
expect_eq "$(psql_val "select to_regclass('scs_t') is null")" t "nothing of the migration stayed"
run "$V" status
expect_rc 0
expect_out_contains "pending"
pass
