#!/usr/bin/env bash
# ctest-labels: fixtures
# Apply, re-apply as a no-op, the exact history table, revert one / --to / --all, redo,
# irreversible refusals, status --json, list, show.
source "$(dirname "$0")/lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_core"

run "$V" status
expect_rc 0
expect_out_contains "0 applied, 5 pending"

run "$V" migrate --dry-run
expect_rc 0
expect_out_contains "would apply 0003_index_accounts_email (no transaction)"
expect_eq "$(psql_val "select to_regclass('accounts') is null")" t "dry run created nothing"

run "$V" migrate --to 2
expect_rc 0
expect_out_contains "applied  0001_create_accounts"
expect_out_contains "applied  0002_add_accounts_name"
expect_eq "$(psql_val "select string_agg(version::text, ',' order by version) from vidb_schema_migrations")" "1,2"

run "$V" migrate
expect_rc 0
expect_out_contains "Applied 3 migrations"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 5
expect_eq "$(psql_val "select email from accounts")" "a@example.com"

# The history table, exactly as DESIGN.md says (plus version_text, NULL for integer
# versions: see MIGRATIONS.md, "vidb's tables").
expect_eq "$(psql_val "select string_agg(column_name || ':' || data_type, ',' order by ordinal_position) from information_schema.columns where table_name = 'vidb_schema_migrations'")" \
  "version:bigint,name:text,checksum:text,applied_at:timestamp with time zone,execution_ms:integer,applied_by:text,version_text:text"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations where version_text is not null")" 0 \
  "integer versions: version_text NULL"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations where execution_ms is null or applied_by is null or length(checksum) <> 64")" 0
expect_eq "$(psql_val "select checksum from vidb_schema_migrations where version = 1")" \
  "$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/core/0001_create_accounts.up.sql" | cut -d' ' -f1)" "checksum is the SHA-256 of the up file"

run "$V" migrate
expect_rc 0
expect_out_contains "up to date"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 5

run "$V" --json status
expect_rc 0
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["summary"]["applied"]==5, d; assert [m["state"] for m in d["migrations"]]==["applied"]*5' "$OUT" || fail "status --json"

# 0004 has no down: revert refuses by name and changes nothing (0005 is reversible).
run "$V" revert 2
expect_rc 4
expect_err_contains "0004_seed_accounts is irreversible"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 5

run "$V" revert --all
expect_rc 4
expect_err_contains "0004_seed_accounts"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 5

# Take 0004 and 0005 out of history by hand (as if never applied), then revert from 3 down.
psql_val "delete from vidb_schema_migrations where version >= 4" >/dev/null
run "$V" revert
expect_rc 0
expect_out_contains "reverted 0003_index_accounts_email"
expect_eq "$(psql_val "select to_regclass('accounts_email_idx') is null")" t "no-transaction down ran"

run "$V" redo
expect_rc 0
expect_out_contains "reverted 0002_add_accounts_name"
expect_out_contains "applied  0002_add_accounts_name"
expect_eq "$(psql_val "select count(*) from information_schema.columns where table_name='accounts' and column_name='name'")" 1

run "$V" revert --to 1
expect_rc 0
expect_eq "$(psql_val "select string_agg(version::text, ',') from vidb_schema_migrations")" "1"

run "$V" revert --all
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 0
expect_eq "$(psql_val "select to_regclass('accounts') is null")" t

run "$V" revert
expect_rc 0
expect_out_contains "Nothing to revert"

run "$V" list
expect_rc 0
expect_out_contains "0004_seed_accounts  irreversible"
expect_out_contains "0003_index_accounts_email  no-transaction"

run "$V" show 2 --down
expect_rc 0
expect_eq "$OUT" "ALTER TABLE accounts DROP COLUMN name;"

run "$V" show 4 --down
expect_rc 1
expect_err_contains "irreversible"

run "$V" show 99
expect_rc 2
expect_err_contains "no migration 99"
pass
