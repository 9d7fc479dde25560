#!/usr/bin/env bash
# ctest-labels: vidb fixtures server
# vidb pack: a copy of vidb carrying a folder (a no-transaction file, a CRLF file, checks)
# runs migrate / status / revert --all / migrate / selftest; its checksums equal the same
# folder compiled in; repacking replaces the payload; unpack gives the bytes back; the
# release binary (no migrations) says how to pack; --lint warns or refuses; 1,000
# migrations pack.
source "$(dirname "$0")/lib.sh"
fresh_db
src="$VIDB_SOURCE_DIR/tests/fixtures/pack_source"
compiled="$VIDB_FIXTURE_DIR/vidb_pack_source"
release="$VIDB_BUILD_DIR/vidb_release"
[[ -x $compiled ]] || fail "fixture binary not found: $compiled"
[[ -x $release ]] || fail "release binary not found: $release"
dir=$(mktemp -d)
at_exit "rm -rf $dir"
app="$dir/bin/app-migrate"
mkdir "$dir/bin"
json() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$@"; }

# Pack this vidb (no --base): a complete vidb, mode 0755, written atomically.
run_vidb pack "$src" -o "$app"
expect_rc 0
expect_out_contains "Packed 3 migrations and 1 check from"
expect_eq "$(stat -c %a "$app")" 755 "mode of the packed file"
expect_eq "$(find "$dir/bin" -type f | wc -l)" 1 "no temporary file left beside OUT"

run "$app" version
expect_rc 0
expect_out_contains "3 packed migrations, 1 checks"
expect_out_contains "(packed from pack_source at "
run "$app" --json version
expect_eq "$(json "$OUT" 'd["migrations_source"], d["packed_from"], d["migrations"], d["checks"]')" \
  "('packed', 'pack_source', 3, 1)" "version --json of the packed binary"
packed_digest=$(json "$OUT" 'd["migrations_digest"]')
run "$compiled" --json version
expect_eq "$(json "$OUT" 'd["migrations_source"], d["packed_from"], d["packed_at"]')" \
  "('compiled-in', None, None)" "version --json of the compiled-in binary"
expect_eq "$(json "$OUT" 'd["migrations_digest"]')" "$packed_digest" "digest packed vs compiled in"

# Identical checksums, flags and checks: list --json of both is the same document.
run "$app" --json list
packed_list=$OUT
run "$compiled" --json list
expect_eq "$packed_list" "$OUT" "list --json packed vs compiled in"
lf_sum=$(tr -d '\r' <"$src/0003_seed_widgets.up.sql" | sha256sum | cut -d' ' -f1)
expect_eq "$(json "$packed_list" '[m["checksum"] for m in d["migrations"] if m["version"]==3][0]')" "$lf_sum" \
  "CRLF file checksummed as its LF text"

# The packed binary runs everything.
run "$app" migrate
expect_rc 0
expect_out_contains "applied  0002_index_widgets_name"
expect_eq "$(psql_val "select indisvalid from pg_index where indexrelid = 'widgets_name_idx'::regclass")" t
run "$app" status
expect_rc 0
expect_out_contains "3 applied, 0 pending"
# The same folder compiled in sees no drift in a database the packed binary migrated.
run "$compiled" status
expect_rc 0
expect_out_contains "3 applied, 0 pending"
expect_not_contains_anywhere "drifted"
run "$app" revert --all
expect_rc 0
expect_eq "$(psql_val "select to_regclass('widgets') is null")" t "revert --all dropped the table"
run "$app" migrate
expect_rc 0
run "$app" selftest
expect_rc 0
expect_out_contains "widgets_indexed"
[[ $(tail -n1 <<<"$OUT") =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || fail "selftest of the packed binary did not pass"
run "$app" show 3
expect_out_contains "INSERT INTO widgets"

# Repacking a packed binary replaces its payload: no stacking, old files gone.
run "$app" --json pack "$VIDB_SOURCE_DIR/tests/fixtures/core" -o "$dir/bin/core-migrate"
expect_rc 0
expect_eq "$(json "$OUT" 'd["replaced_payload"], d["migrations"]')" "(True, 5)" "pack --json"
core_payload=$(json "$OUT" 'd["payload_bytes"]')
core_size=$(json "$OUT" 'd["bytes"]')
run_vidb --json pack "$src" -o "$dir/again"
own_payload=$(json "$OUT" 'd["payload_bytes"]')
expect_eq "$(stat -c %s "$app")" "$(stat -c %s "$dir/again")" "same folder, same size"
expect_eq "$core_size" "$(($(stat -c %s "$app") - own_payload + core_payload))" "repacked size: base + new payload only"
expect_eq "$(stat -c %s "$dir/bin/core-migrate")" "$core_size" "pack --json bytes"
run "$dir/bin/core-migrate" list
expect_out_contains "0005_empty"
expect_not_contains_anywhere "widgets"
# --base: a packed base gives up its payload the same way.
run_vidb pack "$VIDB_SOURCE_DIR/tests/fixtures/core" -o "$dir/core2" --base "$app"
expect_rc 0
expect_eq "$(stat -c %s "$dir/core2")" "$core_size" "--base of a packed binary: its base part only"

# unpack: byte for byte, refusing a non-empty folder without --force.
run "$app" unpack -o "$dir/unpacked"
expect_rc 0
run diff -r "$src" "$dir/unpacked"
expect_rc 0
cmp "$src/0003_seed_widgets.up.sql" "$dir/unpacked/0003_seed_widgets.up.sql" || fail "CRLF file not byte-identical"
echo keep >"$dir/unpacked/NOTES.txt"
printf 'changed' >"$dir/unpacked/0001_create_widgets.up.sql"
run "$app" unpack -o "$dir/unpacked"
expect_rc 4
expect_err_contains "is not empty"
expect_eq "$(cat "$dir/unpacked/0001_create_widgets.up.sql")" changed "refused unpack wrote nothing"
run "$app" unpack -o "$dir/unpacked" --force
expect_rc 0
cmp "$src/0001_create_widgets.up.sql" "$dir/unpacked/0001_create_widgets.up.sql" || fail "--force did not rewrite"
run "$app" --json unpack -o "$dir/unpacked2"
expect_eq "$(json "$OUT" 'len(d["files"]), d["packed_from"]')" "(7, 'pack_source')" "unpack --json"
run "$compiled" unpack -o "$dir/nothing"
expect_rc 1
expect_err_contains "carries no packed migrations"

# The release binary carries none: migrate says so and how to pack, connecting nowhere.
fresh_db vidbtest_pack_release
run "$release" migrate
expect_rc 0
expect_err_contains "carries no migrations: nothing to apply"
expect_err_contains "vidb pack DIR -o FILE"
expect_eq "$(psql_val "select to_regclass('vidb_schema_migrations') is null")" t "empty migrate created no history"
run "$release" --url "postgresql://nobody@127.0.0.1:1/none" migrate
expect_rc 0
run "$release" pack "$src" -o "$dir/from-release"
expect_rc 0
run "$dir/from-release" migrate
expect_rc 0
expect_out_contains "applied  0003_seed_widgets"

# vidb lint's rules at pack time: warnings by default, --lint=error refuses to write.
mkdir "$dir/hazard"
printf 'CREATE TABLE t (id bigint PRIMARY KEY, x int);\n' >"$dir/hazard/0001_t.up.sql"
printf 'CREATE INDEX t_x ON t (x);\n' >"$dir/hazard/0002_t_x.up.sql"
run_vidb pack "$dir/hazard" -o "$dir/hazard-migrate"
expect_rc 0
expect_err_contains "$dir/hazard/0002_t_x.up.sql:1:21: warning: "
expect_err_contains "CONCURRENTLY"
[[ -x $dir/hazard-migrate ]] || fail "--lint=warn (the default) still packs"
run_vidb pack "$dir/hazard" -o "$dir/hazard-strict" --lint=error
expect_rc 1
expect_err_contains "$dir/hazard/0002_t_x.up.sql:1:21: error: "
expect_err_contains "vidb: error: 1 lint error finding in $dir/hazard (--lint=error): nothing was written"
[[ ! -e $dir/hazard-strict ]] || fail "--lint=error wrote a binary despite an error finding"
run_vidb pack "$dir/hazard" -o "$dir/hazard-quiet" --lint=off
expect_rc 0
expect_not_contains_anywhere "warning:"
run_vidb pack "$dir/hazard" -o "$dir/hazard-bad" --lint=maybe
expect_rc 2
expect_err_contains "--lint: expected off, warn or error, got 'maybe'"

# Other tools' layouts pack as they are; --format forces one, and the packed binary reads
# its files the same way (the layout tag in the payload).
layouts="$VIDB_SOURCE_DIR/tests/fixtures"
run_vidb pack "$layouts/layout_dbmate" -o "$dir/dbmate-migrate" --format dbmate --lint=off
expect_rc 0
run "$dir/dbmate-migrate" list
expect_rc 0
expect_out_contains "3 migrations"
run "$dir/dbmate-migrate" --json version
expect_eq "$(json "$OUT" 'd["migrations_digest"]')" \
  "$(json "$("$VIDB_FIXTURE_DIR/vidb_layout_dbmate" --json version)" 'd["migrations_digest"]')" \
  "digest of a dbmate folder packed with --format vs compiled in"
# Flyway's dotted versions packed: the same order and versions as compiled in, applied
# and reverted by version (1.10 after 1.1, 2.1 from V2_1__).
run_vidb pack "$layouts/layout_flyway" -o "$dir/flyway-migrate" --lint=off
expect_rc 0
run "$dir/flyway-migrate" list
expect_rc 0
expect_eq "$OUT" "$("$VIDB_FIXTURE_DIR/vidb_layout_flyway" list)" "packed Flyway set lists as compiled in"
fresh_db vidbtest_pack_flyway
run "$dir/flyway-migrate" migrate --to 1.10
expect_rc 0
expect_eq "$(psql_val "select string_agg(coalesce(version_text, version::text), ',' order by applied_at, name)
  from vidb_schema_migrations")" "1,1.1,1.10" "packed: migrate --to 1.10"
run "$dir/flyway-migrate" --json status
expect_out_contains '{"version":"1.10","version_text":"1.10","name":"sku_unique","state":"applied"'
run "$dir/flyway-migrate" revert --to 1.1
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "packed: revert --to 1.1"
run_vidb pack "$layouts/layout_dbmate" -o "$dir/dbmate-as-flyway" --format flyway --lint=off
expect_rc 1
[[ ! -e $dir/dbmate-as-flyway ]] || fail "a folder that is not in the forced layout was packed"
run_vidb pack "$layouts/layout_dbmate" -o "$dir/dbmate-bad" --format liquibase
expect_rc 2
expect_err_contains "--format: expected auto, vidb, golang-migrate, dbmate, goose or flyway, got 'liquibase'"

# 1,000 migrations pack (and load) in one go.
mkdir "$dir/many"
for i in $(seq 1 1000); do printf 'select %d;\n' "$i" >"$dir/many/$(printf %04d "$i")_m.up.sql"; done
start=$(date +%s%N)
run_vidb pack "$dir/many" -o "$dir/many-migrate"
expect_rc 0
echo "packed 1000 migrations in $((($(date +%s%N) - start) / 1000000)) ms"
run "$dir/many-migrate" list
expect_out_contains "1000 migrations"
pass
