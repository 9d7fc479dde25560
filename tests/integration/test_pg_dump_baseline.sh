#!/usr/bin/env bash
# ctest-labels: fixtures tooling
# A pg_dump --schema-only file as migration 0001: pg_dump 15.14+ writes psql-only
# `\restrict KEY` / `\unrestrict KEY` lines, which vidb blanks (the server cannot parse
# them); the rest applies. The checked-in fixture pgdump_restrict came from pg_dump 15.18;
# a fresh dump of a small database made here must embed too.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
[[ -x ${VIDB_EMBED:-} ]] || fail "VIDB_EMBED not set"
fresh_db

# The fixture applies. (--schema public: the dump empties search_path for the rest of
# the session, which unqualified history statements would not survive.)
V=$VIDB_FIXTURE_DIR/vidb_pgdump_restrict
grep -q '^\\restrict ' "$VIDB_SOURCE_DIR/tests/fixtures/pgdump_restrict/0001_baseline.up.sql" ||
  fail "the fixture lost its \\restrict line"
run "$V" --schema public migrate
expect_rc 0
expect_eq "$(psql_val "select count(*) from pg_tables where schemaname = 'public' and tablename in ('customers', 'orders')")" 2 \
  "baseline tables"
expect_eq "$(psql_val "select public.order_count(1)")" 0 "BEGIN ATOMIC function of the baseline"
expect_eq "$(psql_val "select version from public.vidb_schema_migrations")" 1 "history"
# Shown and checksummed as written.
run "$V" show 1
expect_out_contains '\restrict '
expect_eq "$(psql_val "select checksum from public.vidb_schema_migrations")" \
  "$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/pgdump_restrict/0001_baseline.up.sql" | cut -d' ' -f1)" "checksum"

# A dump made now, by the pg_dump on this machine, embeds.
command -v pg_dump >/dev/null || fail "pg_dump not installed"
psql_val "create table dumped (id bigserial primary key, note text default 'it''s'); create index on dumped (note)" >/dev/null
mkdir -p "$_tmp/dump"
pg_dump --schema-only --no-owner -d "$DATABASE_URL" >"$_tmp/dump/0001_baseline.up.sql" 2>"$_tmp/pg_dump.err" ||
  fail "pg_dump: $(cat "$_tmp/pg_dump.err")"
run "$VIDB_EMBED" "$_tmp/dump" "$_tmp/dump.cpp"
expect_rc 0
# Any other meta-command is refused with its line.
printf 'SELECT 1;\n\\set ON_ERROR_STOP on\n' >>"$_tmp/dump/0001_baseline.up.sql"
line=$(wc -l <"$_tmp/dump/0001_baseline.up.sql")
run "$VIDB_EMBED" "$_tmp/dump" "$_tmp/dump.cpp"
expect_rc 1
expect_err_contains "0001_baseline.up.sql:$line: psql meta-command \\set is not SQL"
pass
