#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# vidb schema dump: a fixture with every kind of object dumps deterministically, loads
# into an empty database with psql -v ON_ERROR_STOP=1 and dumps again to the same
# bytes; vidb's tables stay out unless asked; --schema, -o and VIDB_SCHEMA_FILE; no
# pg_dump needed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
F=$VIDB_FIXTURE_DIR
fresh_db
source_url=$DATABASE_URL

run "$F/vidb_schema_kinds" migrate
expect_rc 0

# Without any PostgreSQL client program on the PATH: vidb reads the catalog itself.
RC=0 _last="schema dump (PATH without pg_dump)"
PATH=/nonexistent "$F/vidb_schema_kinds" schema dump >"$_tmp/first.sql" 2>"$_tmp/err" || RC=$?
ERR=$(<"$_tmp/err")
expect_rc 0
run "$F/vidb_schema_kinds" schema dump
expect_rc 0
expect_eq "$(cat "$_tmp/first.sql")" "$OUT" "a second dump of the same database"

# Every kind of object the fixture creates is there.
dump=$(<"$_tmp/first.sql")
for want in \
  'CREATE SCHEMA IF NOT EXISTS billing;' \
  'CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;' \
  $'CREATE TYPE public.mood AS ENUM (\n    \'sad\',' \
  'CREATE TYPE public.floatrange AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = float8mi);' \
  'CREATE DOMAIN billing.positive_amount AS numeric(12,2) DEFAULT 0 NOT NULL' \
  'CONSTRAINT amount_not_negative CHECK ((VALUE >= (0)::numeric));' \
  'CREATE TYPE billing.money_pair AS (' \
  'CREATE SEQUENCE public.invoice_numbers AS integer START WITH 1000 INCREMENT BY 10 MINVALUE 1 MAXVALUE 999999 CACHE 1;' \
  'CREATE OR REPLACE FUNCTION public.touch_updated_at()' \
  'CREATE OR REPLACE PROCEDURE billing.noop(' \
  'CREATE AGGREGATE public.sum_of_squares(numeric) (' \
  'id bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.customers_id_seq START WITH 1' \
  'email_lower text GENERATED ALWAYS AS (lower(email)) STORED' \
  'created_at timestamp with time zone DEFAULT now() NOT NULL,' \
  'name text COLLATE pg_catalog."C",' \
  ') WITH (fillfactor=90);' \
  ') PARTITION BY RANGE (happened_at);' \
  "CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');" \
  'CREATE UNLOGGED TABLE public.scratch_notes (' \
  'CREATE TABLE public."Mixed Case" (' \
  'WITH LOCAL CHECK OPTION;' \
  'CREATE VIEW billing.customer_totals WITH (security_barrier=true) AS' \
  'CREATE MATERIALIZED VIEW billing.invoice_counts AS' \
  'ALTER SEQUENCE billing.invoices_id_seq OWNED BY billing.invoices.id;' \
  'ALTER TABLE public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);' \
  'EXCLUDE USING gist (customer_id WITH =, period WITH &&) DEFERRABLE INITIALLY DEFERRED;' \
  "ALTER TABLE public.customers ADD CONSTRAINT name_not_blank CHECK ((name <> ''::text));" \
  'CREATE INDEX events_payload_idx ON public.events USING gin (payload);' \
  'CREATE UNIQUE INDEX invoices_number_idx ON billing.invoices USING btree (number) WHERE (number > 0);' \
  'FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;' \
  'CREATE TRIGGER customers_touch BEFORE UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();' \
  'ALTER TABLE public.customers DISABLE TRIGGER customers_touch_disabled;' \
  'ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;' \
  'ALTER TABLE billing.invoices FORCE ROW LEVEL SECURITY;' \
  'CREATE POLICY invoices_insert ON billing.invoices AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK ((number > 0));' \
  "COMMENT ON COLUMN public.customers.email IS 'where invoices go';" \
  "COMMENT ON VIEW public.customer_emails IS 'only real addresses';" \
  'REVOKE EXECUTE ON FUNCTION billing.next_invoice() FROM PUBLIC;' \
  'GRANT SELECT (email), SELECT (id), UPDATE (name) ON TABLE public.customers TO pg_monitor;' \
  'GRANT USAGE ON SEQUENCE public.invoice_numbers TO pg_monitor WITH GRANT OPTION;' \
  'REVOKE USAGE ON TYPE public.mood FROM PUBLIC;'; do
  _checks=$((_checks + 1))
  [[ $dump == *"$want"* ]] || fail "the dump lacks: $want"
done
# Dependency-safe order: the type before the table using it, tables before the view,
# the view before the view built on it, the unique constraint before the foreign key.
before() {
  _checks=$((_checks + 1))
  local a b
  a=$(grep -nF -- "$1" "$_tmp/first.sql" | head -n 1 | cut -d: -f1)
  b=$(grep -nF -- "$2" "$_tmp/first.sql" | head -n 1 | cut -d: -f1)
  [[ -n $a && -n $b && $a -lt $b ]] || fail "'$1' (line $a) must come before '$2' (line $b)"
}
before 'CREATE TYPE public.mood' 'CREATE TABLE public.customers'
before 'CREATE OR REPLACE FUNCTION billing.next_invoice()' 'CREATE TABLE billing.invoices'
before 'CREATE VIEW public.customer_emails' 'CREATE VIEW billing.customer_totals'
before 'CREATE AGGREGATE public.sum_of_squares' 'CREATE VIEW billing.customer_totals'
before 'ADD CONSTRAINT customers_pkey' 'ADD CONSTRAINT invoices_customer_id_fkey'
before 'ADD CONSTRAINT customers_pkey' 'CREATE VIEW public.customer_names'
# vidb's own tables stay out; the history is not the schema.
expect_not_contains_anywhere vidb_schema_migrations
expect_not_contains_anywhere 'CREATE TABLE public.events_2026_'

# dump -> load into an empty database -> dump: the same bytes.
fresh_db vidbtest_schema_dump_loaded
load_out=$(psql -X -w -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f "$_tmp/first.sql" 2>&1) ||
  fail "psql could not load the dump: $load_out"
run_vidb schema dump -o "$_tmp/second.sql"
expect_rc 0
expect_out_contains "Wrote the schema of database vidbtest_schema_dump_loaded to $_tmp/second.sql."
_checks=$((_checks + 1))
cmp -s "$_tmp/first.sql" "$_tmp/second.sql" || fail "dump -> load -> dump differs: $(diff "$_tmp/first.sql" "$_tmp/second.sql" | head -20)"

# --include-vidb-tables, --schema.
DATABASE_URL=$source_url
run_vidb schema dump --include-vidb-tables
expect_rc 0
expect_out_contains 'CREATE TABLE public.vidb_schema_migrations ('
run_vidb schema dump --schema billing
expect_rc 0
expect_out_contains 'CREATE TABLE billing.invoices ('
expect_not_contains_anywhere 'public.customers ('
expect_not_contains_anywhere 'CREATE SCHEMA IF NOT EXISTS public;'

# Usage and failures.
run_vidb schema
expect_rc 2
run_vidb schema dump --schema Billing
expect_rc 2
expect_err_contains "vidb: error: --schema Billing: no such schema in database vidbtest_test_schema_dump"
run_vidb schema dump -o "$_tmp/no/such/folder/schema.sql"
expect_rc 1
expect_err_contains "vidb: error: cannot write the schema to $_tmp/no/such/folder/schema.sql"
run_vidb --url "postgresql://nobody@127.0.0.1:1/x?connect_timeout=2" schema dump
expect_rc 3

# VIDB_SCHEMA_FILE: written after a migrate (and a revert), in step with the database.
fresh_db vidbtest_schema_dump_file
RC=0
VIDB_SCHEMA_FILE="$_tmp/schema.sql" "$F/vidb_schema_kinds" migrate >"$_tmp/out" 2>&1 || RC=$?
OUT=$(<"$_tmp/out")
expect_rc 0
expect_out_contains "Wrote the schema to $_tmp/schema.sql (VIDB_SCHEMA_FILE)."
_checks=$((_checks + 1))
cmp -s "$_tmp/first.sql" "$_tmp/schema.sql" || fail "VIDB_SCHEMA_FILE differs from schema dump"
# redo: reverted and applied again, the file written again.
rm -f "$_tmp/schema.sql"
VIDB_SCHEMA_FILE="$_tmp/schema.sql" "$F/vidb_schema_kinds" redo >"$_tmp/out" 2>&1 || RC=$?
expect_rc 0
_checks=$((_checks + 1))
cmp -s "$_tmp/first.sql" "$_tmp/schema.sql" || fail "VIDB_SCHEMA_FILE after redo differs from schema dump"
VIDB_SCHEMA_FILE="$_tmp/schema.sql" "$F/vidb_schema_kinds" revert >"$_tmp/out" 2>&1 || RC=$?
expect_rc 0
expect_eq "$(grep -c 'CREATE TABLE' "$_tmp/schema.sql" || true)" 0 "tables in the schema file after reverting all"
# Without it, migrate writes nothing.
rm -f "$_tmp/schema.sql"
run "$F/vidb_schema_kinds" migrate
expect_rc 0
_checks=$((_checks + 1))
[[ ! -e $_tmp/schema.sql ]] || fail "a schema file was written without VIDB_SCHEMA_FILE"

pass
