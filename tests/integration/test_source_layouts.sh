#!/usr/bin/env bash
# ctest-labels: vidb fixtures tooling
# Other tools' folders read as they are (issue 13): dbmate, goose, golang-migrate and Flyway
# fixtures apply from scratch, revert and re-apply, and leave the same schema as psql
# running the same up SQL; the embedder detects each layout, warns about .sql files that
# are no migrations, refuses what vidb cannot honour (goose ENVSUB, unknown dbmate options,
# a folder mixing layouts) by name, and obeys a forced layout.
# The feed_* functions (and up_section) are called through $feeder:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
[[ -x ${VIDB_EMBED:-} ]] || fail "VIDB_EMBED not set"
fixtures=$VIDB_SOURCE_DIR/tests/fixtures
json() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$@"; }

# The schema of DATABASE_URL without vidb's tables, comparable across databases. vidb's
# own dump, not pg_dump: the Debian client cannot dump a newer server (the matrix's 18).
schema_of() {
  "$VIDB" --url "$DATABASE_URL" schema dump
}

# The up section of a dbmate or goose file (marker line to the next marker), as psql gets it.
up_section() { # file, up marker regex, down marker regex
  awk -v up="$2" -v down="$3" 'tolower($0) ~ down {on=0} tolower($0) ~ up {on=1} on' "$1"
}

# check_layout NAME PSQL-FEEDER: vidb's run against psql's.
check_layout() {
  local name=$1 feeder=$2 v=$VIDB_FIXTURE_DIR/vidb_layout_$1
  fresh_db "vidbtest_layout_${name}_psql"
  $feeder | _psql >/dev/null 2>"$_tmp/psql.err" || fail "psql applying $name: $(cat "$_tmp/psql.err")"
  local expected
  expected=$(schema_of)
  [[ $expected == *"CREATE TABLE public."* ]] || fail "$name: psql built no table: $expected"
  fresh_db "vidbtest_layout_${name}"
  run "$v" migrate
  expect_rc 0
  expect_eq "$(schema_of)" "$expected" "$name: schema after vidb migrate"
  run "$v" revert --all
  expect_rc 0
  expect_eq "$(psql_val "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relname not like 'vidb\_%'")" 0 "$name: nothing left after revert --all"
  run "$v" migrate
  expect_rc 0
  expect_eq "$(schema_of)" "$expected" "$name: schema after re-applying"
  run "$v" status
  expect_rc 0
}

feed_dbmate() {
  for f in "$fixtures"/layout_dbmate/*.sql; do up_section "$f" '^-- *migrate:up' '^-- *migrate:down'; done
}
feed_goose() {
  for f in "$fixtures"/layout_goose/*.sql; do
    up_section "$f" '^-- \+goose up' '^-- \+goose down'
    echo ';'
  done
}
feed_golang_migrate() { cat "$fixtures"/layout_golang_migrate/*.up.sql; }
# Flyway's order: 1 < 1.1 < 1.10 < 2 < 2_1 (= 2.1) < 3, numbers part by part.
feed_flyway() { cat "$fixtures"/layout_flyway/V{1,1.1,1.10,2,2_1,3}__*.sql; }

check_layout dbmate feed_dbmate
check_layout goose feed_goose
check_layout golang_migrate feed_golang_migrate
check_layout flyway feed_flyway
# Flyway: V2's CREATE INDEX CONCURRENTLY made it no-transaction without a directive; the
# U files were the downs revert --all ran; notes.txt was ignored.
F=$VIDB_FIXTURE_DIR/vidb_layout_flyway
run "$F" list
expect_out_contains "2_items_label_index  no-transaction"
expect_out_contains "6 migrations, 0 checks"
run "$F" show 2 --down
expect_out_contains "DROP INDEX CONCURRENTLY items_label_idx;"
# Dotted versions (V1.1__, V1.10__, V2_1__) in Flyway's order, shown as Flyway shows them:
# V1.10's constraint needs V1.1's column, so text order would have failed above.
expect_eq "$(run "$F" list; sed -n 's/^[0-9a-f]*  \([^ ]*\).*/\1/p' <<<"$OUT" | paste -sd' ')" \
  "1_create_items 1.1_add_sku 1.10_sku_unique 2_items_label_index 2.1_items_note 3_add_price" "flyway: list order"
run "$F" show 1.10
expect_rc 0
expect_out_contains "ADD CONSTRAINT items_sku_key UNIQUE (sku)"
run "$F" show 2_1 --down
expect_out_contains "DROP COLUMN note"
run "$F" --json status
expect_rc 0
expect_eq "$(json "$OUT" '" ".join(str(m["version"]) + "=" + m["version_text"] + ":" + m["state"] for m in d["migrations"])')" \
  "1=1:applied 1.1=1.1:applied 1.10=1.10:applied 2=2:applied 2.1=2.1:applied 3=3:applied" "flyway: status --json"
# History rows: an integer version as before (version_text NULL); a dotted one under a
# negative key with its text.
DATABASE_URL=${ADMIN_DATABASE_URL%/*}/vidbtest_layout_flyway
expect_eq "$(psql_val "select string_agg(coalesce(version_text, 'NULL:' || version) || ':' || (version < 0)::text, ' '
  order by name) from vidb_schema_migrations")" \
  "NULL:3:false 1.1:true NULL:1:false NULL:2:false 2.1:true 1.10:true" "flyway: history rows"
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations
  where version >= 0")" "1,2,3" "flyway: integer versions stored as before"
run "$F" revert --to 1.1
expect_rc 0
run "$F" status
expect_out_contains "1.1      add_sku"
expect_eq "$(psql_val "select string_agg(version_text, ',' order by version_text) from vidb_schema_migrations")" \
  "1.1" "flyway: revert --to 1.1 left 1, 1.1"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "flyway: two rows after revert --to 1.1"
expect_eq "$(psql_val "select count(*) from pg_constraint where conname = 'items_sku_key'")" 0 "U1.10 ran"
run "$F" migrate --to 1.10
expect_rc 0
expect_out_contains "1.10_sku_unique"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 3 "flyway: migrate --to 1.10"
run "$F" migrate --to 1.2
expect_rc 2
expect_err_contains "--to 1.2: no such migration in this binary"
run "$F" migrate
expect_rc 0
expect_eq "$(schema_of)" "$(DATABASE_URL=${ADMIN_DATABASE_URL%/*}/vidbtest_layout_flyway_psql schema_of)" \
  "flyway: schema after revert --to 1.1 and re-applying"

# The markers did what they say: dbmate transaction:false and goose NO TRANSACTION ran
# CREATE INDEX CONCURRENTLY outside a transaction (it cannot run inside one), the goose
# function body with ';' came through whole, the last statement without ';' ran.
DATABASE_URL=${ADMIN_DATABASE_URL%/*}/vidbtest_layout_golang_migrate
expect_eq "$(psql_val "select count(*) from orders")" 0 "seed.sql was not run"
DATABASE_URL=${ADMIN_DATABASE_URL%/*}/vidbtest_layout_goose
expect_eq "$(psql_val "select name from accounts")" first "goose: last statement without ';'"
psql_val "insert into accounts (name) values ('  padded  ')" >/dev/null
expect_eq "$(psql_val "select count(*) from accounts where name = 'padded'")" 1 "goose: trigger function"
run "$VIDB_FIXTURE_DIR/vidb_layout_goose" list
expect_out_contains "00003_accounts_name_index  no-transaction"
run "$VIDB_FIXTURE_DIR/vidb_layout_dbmate" list
expect_out_contains "20240116090000_users_email_index  no-transaction"
expect_out_contains "20240115180414_create users"
run "$VIDB_FIXTURE_DIR/vidb_layout_golang_migrate" list
expect_out_contains "2_ajouter_prix_ü"

# Build time: detection, warnings, refusals by name, a forced layout.
m=$_tmp/m
mk() { rm -rf "$m"; mkdir -p "$m"; }
run "$VIDB_EMBED" "$fixtures/layout_golang_migrate" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 0
expect_err_contains "warning: $fixtures/layout_golang_migrate/seed.sql: skipped, not a migration file name"
mk; printf -- '-- +goose Up\n-- +goose ENVSUB ON\nSELECT 1;\n' >"$m/1_env.sql"
run "$VIDB_EMBED" "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 1
expect_err_contains "1_env.sql:2: goose annotation '-- +goose ENVSUB ON' is not supported by vidb"
mk; printf -- '-- migrate:up transaction:maybe\nSELECT 1;\n' >"$m/1_opt.sql"
run "$VIDB_EMBED" "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 1
expect_err_contains "1_opt.sql:1: dbmate option 'transaction:maybe' is not supported by vidb"
mk; printf -- '-- migrate:up\nSELECT 1;\n' >"$m/1_a.sql"; printf 'SELECT 1;\n' >"$m/2_b.up.sql"
run "$VIDB_EMBED" "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 1
expect_err_contains "mixes migration layouts (2_b.up.sql is golang-migrate, 1_a.sql is dbmate)"
run "$VIDB_EMBED" --format golang-migrate "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 0
expect_err_contains "1_a.sql: skipped"
mk; printf 'SELECT 1;\n' >"$m/0001_forgot_direction.sql"
run "$VIDB_EMBED" "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 1
expect_err_contains "0001_forgot_direction.sql: not a migration file name"
mk; printf 'SELECT 1;\n' >"$m/1_with space.up.sql"
run "$VIDB_EMBED" --format vidb "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 1
expect_err_contains "the name may only contain"
mk; printf 'SELECT 1;\n' >"$m/V2.1__dotted.sql"; printf 'SELECT 2;\n' >"$m/V2.1.0__same.sql"
run "$VIDB_EMBED" "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 1
expect_err_contains "V2.1__dotted.sql: duplicate version 2.1 (also V2.1.0__same.sql, version 2.1.0)"
mk; printf 'CREATE INDEX CONCURRENTLY i ON t (a);\n' >"$m/R__views.sql"
run "$VIDB_EMBED" "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 1
expect_err_contains "R__views.sql: a repeatable migration always runs in one transaction"
run "$VIDB_EMBED" --format nope "$m" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 2
pass
