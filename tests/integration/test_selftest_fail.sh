#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# vidb selftest fails (exit 1), naming the failing check, when the database is not
# migrated, has checksum drift, an unknown applied version, a partially applied
# no-transaction migration or an invalid index; it exits 3 when it cannot connect,
# still printing the report.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
F=$VIDB_FIXTURE_DIR
fresh_db

# Before migrate.
run_vidb selftest
expect_rc 1
expect_check pass "connect"
expect_check fail "history table" "vidb_schema_migrations not found in schema public"
expect_check fail "migrations applied" "1 of 1 embedded migration not applied"
expect_out_contains "0001_create_projects (pending)"
expect_check skip "no checksum drift" "no history table"
expect_check fail "checks/010_projects_table.sql" "checks/010_projects_table.sql:7: table projects does not exist"
[[ $(last_line) =~ ^[0-9]+\ passed,\ [1-9][0-9]*\ failed(,\ [0-9]+\ skipped)?$ ]] || fail "final line: $(last_line)"
expect_eq "$(psql_val "select count(*) from pg_tables where schemaname = 'public'")" 0 "tables created by selftest"

# Checksum drift: applied by this build, checked by one whose 0001 text differs.
run_vidb migrate
expect_rc 0
run "$F/vidb_selftest_drift" selftest
expect_rc 1
old=$(sha256sum "$VIDB_SOURCE_DIR/sql/0001_create_projects.up.sql" | cut -c1-12)
new=$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/selftest_drift/0001_create_projects.up.sql" | cut -c1-12)
expect_check fail "no checksum drift" "1 migration changed since applied"
expect_out_contains "0001_create_projects: applied with checksum $old, embedded $new"
expect_check pass "migrations applied"
expect_check pass "no unknown versions"

# An applied version this binary does not carry (a newer build applied it).
psql_val "insert into vidb_schema_migrations (version, name, checksum, applied_by)
          values (20990101000000, 'from_the_future', 'x', 'newer build')" >/dev/null
run_vidb selftest
expect_rc 1
expect_check fail "no unknown versions" "1 applied migration this binary does not carry"
expect_out_contains "20990101000000_from_the_future applied"
psql_val "delete from vidb_schema_migrations where version = 20990101000000" >/dev/null

# An invalid index, as a failed CREATE INDEX CONCURRENTLY leaves one.
psql_val "create table dup (x int); insert into dup values (1), (1)" >/dev/null
run psql -X -w -q -d "$DATABASE_URL" -c "create unique index concurrently dup_x_key on dup (x)"
[[ $RC != 0 ]] || fail "the unique index on duplicates should have failed"
run_vidb selftest
expect_rc 1
expect_check fail "no invalid indexes" "1 invalid index"
expect_out_contains "public.dup_x_key on public.dup: DROP INDEX CONCURRENTLY public.dup_x_key"
psql_val "drop table dup" >/dev/null
run_vidb selftest
expect_rc 0
expect_summary 15 0

# A no-transaction migration that stopped after its first statement.
fresh_db vidbtest_selftest_fail_partial
run "$F/vidb_selftest_partial" migrate
expect_rc 1
run "$F/vidb_selftest_partial" selftest
expect_rc 1
expect_check fail "no partial migrations" "1 no-transaction migration stopped part way"
expect_out_contains "0001_partial_index: 1 of 3 statements ran; last error: column \"no_such_column\" does not exist"
expect_out_contains "vidb repair 0001 --resume"
expect_check fail "migrations applied" "1 of 1 embedded migration not applied"
expect_out_contains "0001_partial_index (partially applied)"

# Cannot connect: the report still lists every check, then exit 3; no password shown.
run_vidb --url "postgresql://postgres:not-the-password@127.0.0.1:1/nowhere" selftest
expect_rc 3
expect_check fail "connect" "cannot connect to postgres@127.0.0.1:1/nowhere"
expect_check skip "server version" "not connected to the database"
expect_check skip "checks/050_projects_name_index.sql" "not connected to the database"
expect_summary 0 1 14
expect_not_contains_anywhere "not-the-password"
run_vidb --url "postgresql://postgres:not-the-password@127.0.0.1:1/nowhere" selftest --format junit
expect_rc 3
expect_out_contains '<testcase name="connect" classname="vidb.selftest"'
expect_not_contains_anywhere "not-the-password"

pass
