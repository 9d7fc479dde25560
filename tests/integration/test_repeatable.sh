#!/usr/bin/env bash
# ctest-labels: fixtures
# Repeatable migrations (issue 13): vidb's <name>.repeatable.sql and Flyway's R__<name>.sql
# are applied after the versioned migrations, in name order, each in its own transaction
# with its row in vidb_repeatable_migrations; again only when the file changed (fixture
# repeatable_v2 edits items_view); status shows them; migrate --to leaves them alone.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
fresh_db
V1=$VIDB_FIXTURE_DIR/vidb_repeatable
V2=$VIDB_FIXTURE_DIR/vidb_repeatable_v2
table=vidb_repeatable_migrations

run "$V1" list
expect_out_contains "R__items_view  repeatable"
expect_out_contains "1 migrations, 0 checks, 2 repeatable"
run "$V1" migrate --to 1
expect_rc 0
expect_eq "$(psql_val "select to_regclass('$table') is null")" t "migrate --to applies no repeatable"
run "$V1" migrate --dry-run
expect_rc 0
expect_out_contains "would apply R__a_function (repeatable)"
expect_out_contains "would apply R__items_view (repeatable)"
expect_eq "$(psql_val "select to_regclass('$table') is null")" t "--dry-run changes nothing"
run "$V1" migrate
expect_rc 0
expect_out_contains "Applied 0 migrations and 2 repeatable migrations"
# Name order: a_function before items_view.
[[ $OUT == *"R__a_function"*"R__items_view"* ]] || fail "repeatables not applied in name order: $OUT"
expect_eq "$(psql_val "select string_agg(name, ',' order by name) from $table")" "a_function,items_view" "rows"
expect_eq "$(psql_val "select item_count()")" 0 "the function exists"
before=$(psql_val "select string_agg(name || checksum || applied_at, ',' order by name) from $table")
run "$V1" migrate
expect_rc 0
expect_out_contains "Nothing to apply"
expect_eq "$(psql_val "select string_agg(name || checksum || applied_at, ',' order by name) from $table")" "$before" \
  "an unchanged repeatable is not applied again"
run "$V1" status
expect_rc 0
expect_out_contains "R  items_view  applied"

# The file changed: status says so, migrate applies that one again (and only that one).
run "$V2" status
expect_out_contains "R  items_view  changed"
expect_out_contains "vidb migrate applies it again"
run "$V2" --json status
expect_out_contains '"state":"changed"'
run "$V2" migrate
expect_rc 0
expect_not_contains_anywhere "R__a_function"
expect_out_contains "applied  R__items_view"
expect_eq "$(psql_val "select string_agg(attname, ',' order by attnum) from pg_attribute
  where attrelid = 'items_view'::regclass and attnum > 0")" "id,label" "the view as the new file says"
expect_eq "$(psql_val "select checksum from $table where name = 'items_view'")" \
  "$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/repeatable_v2/items_view.repeatable.sql" | cut -d' ' -f1)" "new checksum"
run "$V2" --json migrate
expect_out_contains '"repeatables":[]'

# A revert may drop what a repeatable built (DROP TABLE items CASCADE drops the view):
# revert forgets them all, so the next migrate applies them again.
run "$V2" revert --all
expect_rc 0
expect_eq "$(psql_val "select count(*) from $table")" 0 "revert forgot the repeatables"
run "$V2" status
expect_out_contains "R  items_view  pending"
run "$V2" migrate
expect_rc 0
expect_out_contains "Applied 1 migration and 2 repeatable migrations"
expect_eq "$(psql_val "select count(*) from items_view")" 0 "the view is back"

# Flyway's R__ files.
fresh_db vidbtest_repeatable_flyway
run "$VIDB_FIXTURE_DIR/vidb_layout_flyway_repeatable" --json migrate
expect_rc 0
expect_out_contains '"repeatables":["R__things_view"]'
expect_eq "$(psql_val "select count(*) from things_view")" 0 "Flyway R__ view"
pass
