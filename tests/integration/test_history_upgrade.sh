#!/usr/bin/env bash
# ctest-labels: fixtures
# History tables written by an older vidb (before version_text) are upgraded in place:
#   - status reads them as they are (no version_text column yet);
#   - migrate adds version_text to vidb_schema_migrations and vidb_migration_progress and
#     applies Flyway's dotted versions under negative keys with their text, while the
#     integer versions' rows keep version_text NULL (what an older vidb reads);
#   - a row whose key and text do not belong together is refused, not shown as something
#     that did not happen.
source "$(dirname "$0")/lib.sh"
F=$VIDB_FIXTURE_DIR/vidb_layout_flyway
fixtures=$VIDB_SOURCE_DIR/tests/fixtures/layout_flyway

# The tables as the vidb before version_text created them, with V1 applied by it.
fresh_db vidbtest_history_upgrade
psql_val "CREATE TABLE vidb_schema_migrations (
    version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), execution_ms integer, applied_by text);
  CREATE TABLE vidb_migration_progress (
    version bigint PRIMARY KEY, name text NOT NULL, statements_done integer NOT NULL,
    statements_total integer NOT NULL, last_error text, updated_at timestamptz NOT NULL DEFAULT now(),
    direction text NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')), checksum text, invalid_indexes text);
  CREATE TABLE vidb_migration_lock (
    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1), owner text NOT NULL, holder text NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(), heartbeat_at timestamptz NOT NULL DEFAULT now())" >/dev/null
_psql <"$fixtures/V1__create_items.sql" >/dev/null
psql_val "INSERT INTO vidb_schema_migrations (version, name, checksum, applied_by)
  VALUES (1, 'create_items', '$(sha256sum "$fixtures/V1__create_items.sql" | cut -d' ' -f1)', 'old vidb')" >/dev/null
text_columns() {
  psql_val "select count(*) from pg_attribute where attname = 'version_text' and not attisdropped
    and attrelid in ('vidb_schema_migrations'::regclass, 'vidb_migration_progress'::regclass)"
}

run "$F" status
expect_rc 0
expect_out_contains "1        create_items"
expect_out_contains "1.1      add_sku            pending"
expect_eq "$(text_columns)" 0 "status reads the old tables without changing them"
run "$F" migrate --to 1.10
expect_rc 0
expect_eq "$(text_columns)" 2 "version_text added to both tables"
expect_eq "$(psql_val "select string_agg(version::text || '=' || coalesce(version_text, 'NULL'), ' ' order by name)
  from vidb_schema_migrations where version >= 0")" "1=NULL" "the old row is untouched"
expect_eq "$(psql_val "select string_agg(version_text, ' ' order by version_text)
  from vidb_schema_migrations where version < 0")" "1.1 1.10" "dotted rows: negative keys with their text"
run "$F" migrate
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations where version >= 0 and version_text is not null")" \
  0 "integer versions keep version_text NULL"
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations
  where version >= 0")" "1,2,3" "integer versions stored as before"
run "$F" revert --to 1
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "revert --to 1 removed the dotted rows too"
run "$F" migrate
expect_rc 0

# repair takes dotted versions: an accepted edit, and a partial run's journal row (written
# here as vidb writes it: the key computed independently, by the rule MIGRATIONS.md gives).
psql_val "UPDATE vidb_schema_migrations SET checksum = 'edited' WHERE version_text = '1.10'" >/dev/null
run "$F" status
expect_out_contains "1.10     sku_unique         drifted"
run "$F" repair 1.10 --accept-checksum
expect_rc 0
expect_out_contains "Accepted the edit of migration 1.10"
key21=$(python3 -c 'import hashlib; print(-(1 + (int.from_bytes(hashlib.sha256(b"2.1").digest()[:8], "big") & (2**62 - 1))))')
psql_val "DELETE FROM vidb_schema_migrations WHERE version_text = '2.1'; ALTER TABLE items DROP COLUMN note;
  INSERT INTO vidb_migration_progress (version, version_text, name, statements_done, statements_total, checksum)
  VALUES ($key21, '2.1', 'items_note', 0, 1, '$(sha256sum "$fixtures/V2_1__items_note.sql" | cut -d' ' -f1)')" >/dev/null
run "$F" status
expect_rc 0
expect_out_contains "2.1      items_note         partial"
expect_out_contains "vidb repair 2.1 --resume"
run "$F" migrate
expect_rc 4
expect_err_contains "migration 2.1_items_note is partially applied"
run "$F" repair 2.1 --forget
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_migration_progress")" 0 "repair 2.1 --forget"
run "$F" migrate
expect_rc 4
expect_err_contains "2.1_items_note is older than the newest applied version 3"
run "$F" migrate --allow-out-of-order
expect_rc 0
expect_eq "$(psql_val "select version from vidb_schema_migrations where version_text = '2.1'")" "$key21" \
  "the key of 2.1 as documented"

# A row whose key and text disagree (written by hand): refused by name.
psql_val "INSERT INTO vidb_schema_migrations (version, name, checksum) VALUES (-5, 'forged', 'x')" >/dev/null
run "$F" status
expect_rc 1
expect_err_contains "has a row with version -5 and version_text NULL, which do not belong together"
psql_val "UPDATE vidb_schema_migrations SET version_text = '1.1' WHERE version = -5" >/dev/null
run "$F" migrate
expect_rc 1
expect_err_contains "has a row with version -5 and version_text '1.1', which do not belong together"
pass
