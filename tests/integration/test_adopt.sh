#!/usr/bin/env bash
# ctest-labels: fixtures
# vidb adopt --from dbmate|goose|golang-migrate|flyway and vidb baseline (issue 13): each tool's
# history table is created and filled exactly as the tool does (see the comments at each),
# the database built by the same SQL; adopt records what the tool applied (verified first,
# --dry-run and every refusal writing nothing, a second run a no-op), status then shows it
# applied and migrate applies only what is new. The real dbmate: test_adopt_dbmate_real.sh.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
fixtures=$VIDB_SOURCE_DIR/tests/fixtures

vidb_rows() { psql_val "select count(*) from pg_tables where tablename = 'vidb_schema_migrations'"; }
expect_nothing_written() { expect_eq "$(vidb_rows)" 0 "vidb's history table after a refusal or --dry-run"; }
up_section() { awk -v up="$2" -v down="$3" 'tolower($0) ~ down {on=0} tolower($0) ~ up {on=1} on' "$1"; }

# ---- dbmate -------------------------------------------------------------------------
# dbmate's table: `create table if not exists schema_migrations (version varchar(128)
# primary key)`, one row per applied file, the version as the file name's leading digits
# (dbmate pkg/driver/postgres/postgres.go CreateMigrationsTable / InsertMigration).
V=$VIDB_FIXTURE_DIR/vidb_layout_dbmate
dbmate_db() { # versions applied, in order
  fresh_db vidbtest_adopt_dbmate
  psql_val "create table if not exists schema_migrations (version varchar(128) primary key)" >/dev/null
  local version file
  for version in "$@"; do
    file=$(ls "$fixtures/layout_dbmate/$version"_*.sql)
    up_section "$file" '^-- *migrate:up' '^-- *migrate:down' | _psql >/dev/null
    psql_val "insert into schema_migrations (version) values ('$version')" >/dev/null
  done
}
dbmate_db 20240115180414 20240116090000
run "$V" adopt --from dbmate --dry-run
expect_rc 0
expect_out_contains "Would record 2 migrations dbmate applied (public.schema_migrations)"
expect_out_contains "20240116090000_users_email_index"
expect_nothing_written
run "$V" --json adopt --from dbmate --dry-run
expect_out_contains '"dry_run":true,"recorded":["20240115180414_create users","20240116090000_users_email_index"]'
expect_nothing_written
run "$V" adopt --from dbmate
expect_rc 0
expect_out_contains "Recorded 2 migrations dbmate applied"
expect_eq "$(psql_val "select string_agg(version::text || ' ' || applied_by, ',' order by version) from vidb_schema_migrations" |
  sed "s/ by [^,]*//g")" "20240115180414 adopted from dbmate,20240116090000 adopted from dbmate" "history rows"
expect_eq "$(psql_val "select count(*) from schema_migrations")" 2 "dbmate's table left untouched"
run "$V" status
expect_rc 0
expect_out_contains "applied"
expect_out_contains "pending"
# Running it again changes nothing.
before=$(psql_val "select string_agg(version || checksum || applied_at, ',') from vidb_schema_migrations")
run "$V" adopt --from dbmate
expect_rc 0
expect_out_contains "Nothing to adopt"
expect_eq "$(psql_val "select string_agg(version || checksum || applied_at, ',') from vidb_schema_migrations")" "$before" \
  "history after a second adopt"
run "$V" migrate
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 3 "migrate applied the new one"
expect_eq "$(psql_val "select users_count()")" 0 "the new migration ran"
run "$V" --json status
expect_not_contains_anywhere '"state":"pending"'

# Refusals: each exits 4, names the problem and the command, writes nothing.
dbmate_db 20240115180414 20240116090000
psql_val "insert into schema_migrations values ('20990101000000')" >/dev/null
run "$V" adopt --from dbmate
expect_rc 4
expect_err_contains "public.schema_migrations records 1 version(s) that this binary does not carry: 20990101000000"
expect_err_contains "dbmate rollback"
expect_nothing_written
dbmate_db 20240115180414 20240117120000
run "$V" adopt --from dbmate
expect_rc 4
expect_err_contains "older than the newest dbmate applied (20240117120000) but were never applied: 20240116090000"
expect_err_contains "dbmate up"
expect_nothing_written
run "$V" adopt --from golang-migrate
expect_rc 4
expect_err_contains "public.schema_migrations is not golang-migrate's history table"
expect_nothing_written
run "$V" adopt --from goose
expect_rc 4
expect_err_contains "no table goose_db_version here"
expect_nothing_written
run "$V" adopt --from liquibase
expect_rc 2
# vidb's history already has the version with another checksum.
dbmate_db 20240115180414
run "$V" baseline --to 20240115180414
expect_rc 0
psql_val "update vidb_schema_migrations set checksum = 'edited'" >/dev/null
run "$V" adopt --from dbmate
expect_rc 4
expect_err_contains "vidb's history already records 20240115180414_create users with another name or checksum"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "nothing added on refusal"

# ---- goose --------------------------------------------------------------------------
# goose v3's table (internal/dialect/dialectquery/postgres.go CreateTable): id identity,
# version_id bigint, is_applied boolean, tstamp; goose inserts (0, true) when it creates
# it, (V, true) per applied migration; goose v2 recorded a rollback as (V, false), v3
# deletes the row. The newest row per version decides (ListMigrations, ORDER BY id DESC).
V=$VIDB_FIXTURE_DIR/vidb_layout_goose
goose_db() { # "version applied" rows in order
  fresh_db vidbtest_adopt_goose
  psql_val "CREATE TABLE goose_db_version (
    id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
    version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now());
    INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)" >/dev/null
  local row
  for row in "$@"; do
    psql_val "INSERT INTO goose_db_version (version_id, is_applied) VALUES (${row% *}, ${row#* })" >/dev/null
  done
}
goose_db "1 true" "2 true" "3 true" "3 false"
for f in "$fixtures"/layout_goose/0000[12]_*.sql; do up_section "$f" '^-- \+goose up' '^-- \+goose down'; echo ';'; done | _psql >/dev/null
run "$V" adopt --from goose
expect_rc 0
expect_out_contains "Recorded 2 migrations goose applied (public.goose_db_version)"
run "$V" migrate
expect_rc 0
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations")" "1,2,3" \
  "goose: adopted 1 and 2 (3 was rolled back), migrate applied 3"
expect_eq "$(psql_val "select count(*) from pg_indexes where indexname = 'accounts_name_idx'")" 1 "goose: 3 ran"
goose_db "1 true" "2 true" "2 false" "3 true"
run "$V" adopt --from goose
expect_rc 4
expect_err_contains "never applied: 00002"
expect_err_contains "goose up -allow-missing"
expect_nothing_written
goose_db
run "$V" adopt --from goose
expect_rc 0
expect_out_contains "Nothing to adopt"
expect_nothing_written

# ---- golang-migrate -------------------------------------------------------------------
# golang-migrate's table (database/postgres/postgres.go ensureVersionTable):
# schema_migrations (version bigint not null primary key, dirty boolean not null), one row
# (SetVersion truncates and inserts): every version up to it is applied; dirty = failed.
V=$VIDB_FIXTURE_DIR/vidb_layout_golang_migrate
gm_db() { # version dirty
  fresh_db vidbtest_adopt_gm
  psql_val "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint not null primary key, dirty boolean not null);
    TRUNCATE schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES ($1, $2)" >/dev/null
  _psql <"$fixtures/layout_golang_migrate/1_create orders.up.sql" >/dev/null
}
gm_db 1 true
run "$V" adopt --from golang-migrate
expect_rc 4
expect_err_contains "golang-migrate's history is dirty at version 1"
expect_err_contains "force VERSION"
expect_nothing_written
gm_db 7 false
run "$V" adopt --from golang-migrate
expect_rc 4
expect_err_contains "does not carry: 7"
expect_nothing_written
gm_db 1 false
run "$V" adopt --from dbmate
expect_rc 4
expect_err_contains "is not dbmate's history table"
run "$V" adopt --from golang-migrate
expect_rc 0
expect_out_contains "1_create orders"
run "$V" migrate
expect_rc 0
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations")" "1,2" \
  "golang-migrate: adopted 1, migrate applied 2"

# ---- Flyway ---------------------------------------------------------------------------
# Flyway's table, as its PostgreSQL createMetaDataTable.sql writes it (flyway-database-
# postgresql), one row per run in installed_rank order: type SQL for a versioned file,
# BASELINE for `flyway baseline`, checksum = CRC-32 over the file's lines without their
# terminators as a signed int (flyway-core ChecksumCalculator), computed here with Python's
# zlib, independently of vidb.
V=$VIDB_FIXTURE_DIR/vidb_layout_flyway
flyway_crc() {
  python3 -c 'import sys,zlib; c=zlib.crc32(open(sys.argv[1],"rb").read().replace(b"\r",b"").replace(b"\n",b"")); print(c-2**32 if c>=2**31 else c)' "$1"
}
flyway_db() { # rows: "version type checksum success"; the rows' files are applied by psql
  # (type PSQL: the file only, no row: a schema built before Flyway's baseline)
  fresh_db vidbtest_adopt_flyway
  psql_val 'CREATE TABLE "flyway_schema_history" (
    "installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL);
    ALTER TABLE "flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
    CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success")' >/dev/null
  local rank=0 version type checksum success file
  for row in "$@"; do
    read -r version type checksum success <<<"$row"
    [[ $type == PSQL ]] || rank=$((rank + 1))
    # Flyway writes a V2_1__ file's version as 2.1 (dots), its script name as it is.
    file=$(ls "$fixtures"/layout_flyway/V"$version"__*.sql "$fixtures"/layout_flyway/V"${version//./_}"__*.sql \
      2>/dev/null | head -n 1 || true)
    # (a baseline stands for a schema built before Flyway: built here from the same file)
    [[ -n $file ]] && _psql <"$file" >/dev/null
    [[ $type == PSQL ]] && continue
    psql_val "INSERT INTO flyway_schema_history VALUES ($rank, '$version', 'd', '$type',
      '$(basename "${file:-<< Flyway Baseline >>}")', $checksum, 'flyway', now(), 7, $success)" >/dev/null
  done
}
fw=$fixtures/layout_flyway
crc1=$(flyway_crc "$fw/V1__create_items.sql")
crc11=$(flyway_crc "$fw/V1.1__add_sku.sql")
crc110=$(flyway_crc "$fw/V1.10__sku_unique.sql")
crc2=$(flyway_crc "$fw/V2__items_label_index.sql")
crc21=$(flyway_crc "$fw/V2_1__items_note.sql")
vidb_versions() { # as the user sees them, in the order vidb status shows them
  run "$V" --json status
  python3 -c 'import json,sys; print(",".join(m["version_text"] + ":" + m["state"] for m in json.loads(sys.argv[1])["migrations"]))' "$OUT"
}
# Dotted versions (1.1, 1.10, and 2.1 from V2_1__) as Flyway writes them: varchar text.
flyway_db "1 SQL $crc1 true" "1.1 SQL $crc11 true" "1.10 SQL $crc110 true" "2 SQL $crc2 true" \
  "2.1 SQL $crc21 true"
run "$V" adopt --from flyway --dry-run
expect_rc 0
expect_nothing_written
run "$V" adopt --from flyway
expect_rc 0
expect_out_contains "Recorded 5 migrations flyway applied (public.flyway_schema_history)"
expect_out_contains "1.10_sku_unique"
expect_eq "$(vidb_versions)" "1:applied,1.1:applied,1.10:applied,2:applied,2.1:applied,3:pending" \
  "flyway: dotted versions adopted"
expect_eq "$(psql_val "select string_agg(coalesce(version_text, version::text), ',' order by applied_by, name)
  from vidb_schema_migrations where version < 0")" "1.1,2.1,1.10" "flyway: dotted rows keep their text"
run "$V" adopt --from flyway
expect_rc 0
expect_out_contains "Nothing to adopt"
run "$V" migrate
expect_rc 0
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations
  where version >= 0")" "1,2,3" "flyway: adopted 1 and 2, migrate applied 3"
expect_eq "$(vidb_versions)" "1:applied,1.1:applied,1.10:applied,2:applied,2.1:applied,3:applied" \
  "flyway: migrate after adopt"
# A file edited since Flyway applied it: the recomputed checksum differs.
flyway_db "1 SQL $crc1 true" "1.1 SQL $crc11 true" "1.10 SQL $crc110 true" "2 SQL 12345 true"
run "$V" adopt --from flyway
expect_rc 4
expect_err_contains "2_items_label_index differs from the file Flyway applied: Flyway recorded checksum 12345, this build's V2__items_label_index.sql has $crc2"
expect_err_contains "flyway repair"
expect_nothing_written
flyway_db "1 SQL $crc1 true" "1.1 SQL $crc11 true" "1.10 SQL 54321 true"
run "$V" adopt --from flyway
expect_rc 4
expect_err_contains "1.10_sku_unique differs from the file Flyway applied: Flyway recorded checksum 54321"
expect_nothing_written
flyway_db "1 SQL $crc1 true" "1.1 SQL $crc11 true" "1.10 SQL $crc110 true" "2 SQL $crc2 false"
run "$V" adopt --from flyway
expect_rc 4
expect_err_contains "Flyway's history records a failed migration: V2__items_label_index.sql (success = false)"
expect_nothing_written
flyway_db "1 SQL $crc1 true" "1.1 SQL $crc11 true" "1.5 SQL 1 true" # (no V1.5 file: nothing applied for it)
run "$V" adopt --from flyway
expect_rc 4
expect_err_contains "records 1 version(s) that this binary does not carry: 1.5"
expect_nothing_written
flyway_db "1 SQL $crc1 true" "2.x SQL 1 true"
run "$V" adopt --from flyway
expect_rc 4
expect_err_contains "Flyway's history records version '2.x'"
expect_nothing_written
# 1.1 and 1.10 never applied by Flyway although 2 was: a gap, in numeric order.
flyway_db "1 SQL $crc1 true" "2 SQL $crc2 true"
run "$V" adopt --from flyway
expect_rc 4
expect_err_contains "2 migration(s) of this binary are older than the newest flyway applied (2) but were never applied: 1.1, 1.10"
expect_nothing_written
# `flyway baseline` at 1.1 (no checksum), then V1.10 and V2 applied by Flyway.
flyway_db "1 PSQL" "1.1 BASELINE NULL true" "1.10 SQL $crc110 true" "2 SQL $crc2 true"
run "$V" adopt --from flyway
expect_rc 0
expect_out_contains "1_create_items"
expect_out_contains "1.1_add_sku"
expect_out_contains "1.10_sku_unique"
expect_out_contains "2_items_label_index"
expect_eq "$(vidb_versions)" "1:applied,1.1:applied,1.10:applied,2:applied,2.1:pending,3:pending" \
  "flyway: baseline at 1.1"

# Flyway's repeatable rows (version NULL): the newest run per script; a file with the
# recorded checksum is adopted as applied, a changed one is left for migrate.
V=$VIDB_FIXTURE_DIR/vidb_layout_flyway_repeatable
rdir=$fixtures/layout_flyway_repeatable
flyway_repeatable_db() { # R row checksum
  flyway_db
  _psql <"$rdir/V1__things.sql" >/dev/null
  _psql <"$rdir/R__things_view.sql" >/dev/null
  psql_val "INSERT INTO flyway_schema_history VALUES
    (1, '1', 'things', 'SQL', 'V1__things.sql', $(flyway_crc "$rdir/V1__things.sql"), 'flyway', now(), 3, true),
    (2, NULL, 'things view', 'SQL', 'R__things_view.sql', $1, 'flyway', now(), 3, true)" >/dev/null
}
flyway_repeatable_db "$(flyway_crc "$rdir/R__things_view.sql")"
run "$V" adopt --from flyway
expect_rc 0
expect_out_contains "Recorded repeatable R__things_view as applied"
run "$V" migrate
expect_rc 0
expect_out_contains "Nothing to apply"
run "$V" status
expect_out_contains "R  things_view  applied"
run "$V" adopt --from flyway
expect_rc 0
expect_out_contains "Nothing to adopt"
flyway_repeatable_db 777
run "$V" adopt --from flyway
expect_rc 0
expect_out_contains "Repeatable R__things_view changed since flyway applied it: vidb migrate applies it again"
run "$V" --json migrate
expect_rc 0
expect_out_contains '"repeatables":["R__things_view"]'

# ---- baseline -------------------------------------------------------------------------
V=$VIDB_FIXTURE_DIR/vidb_layout_golang_migrate
fresh_db vidbtest_adopt_baseline
_psql <"$fixtures/layout_golang_migrate/1_create orders.up.sql" >/dev/null
run "$V" baseline --to 1 --dry-run
expect_rc 0
expect_out_contains "Would record 1 migration up to 1 as applied, without running them:"
expect_nothing_written
run "$V" baseline --to 9
expect_rc 2
expect_err_contains "version 9 is not one of this binary's migrations"
run "$V" baseline --to 1
expect_rc 0
expect_out_contains "Recording 1 migration up to 1"
expect_out_contains "  1_create orders"
expect_eq "$(psql_val "select applied_by like 'baseline by %' from vidb_schema_migrations")" t "baseline row"
run "$V" --json baseline --to 1
expect_rc 0
expect_out_contains '"recorded":[],"already":["1_create orders"]'
run "$V" migrate
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "migrate after baseline"
psql_val "update vidb_schema_migrations set checksum = 'other' where version = 2" >/dev/null
run "$V" baseline --to 2
expect_rc 4
expect_err_contains "with another name or checksum"
# Flyway's dotted versions: baseline --to 1.10 records 1, 1.1 and 1.10 (numeric order), not 2.
V=$VIDB_FIXTURE_DIR/vidb_layout_flyway
fresh_db vidbtest_adopt_baseline_dotted
run "$V" baseline --to 1.10
expect_rc 0
expect_out_contains "Recording 3 migrations up to 1.10"
expect_out_contains "  1.1_add_sku"
expect_eq "$(psql_val "select string_agg(coalesce(version_text, version::text), ',' order by name)
  from vidb_schema_migrations")" "1.1,1,1.10" "baseline --to 1.10"
run "$V" baseline --to 1.2
expect_rc 2
expect_err_contains "version 1.2 is not one of this binary's migrations"
pass
