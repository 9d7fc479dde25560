#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# vidb drift: a database as its migrations built it matches (exit 0); a hand-made index,
# a dropped constraint, a changed column type and default are each found (exit 1, text
# and --json); migrations not applied yet are left out and named; a role without
# CREATEDB gets a clear message; the scratch database is dropped every time.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
F=$VIDB_FIXTURE_DIR
fresh_db

scratch_count() { psql_val "select count(*) from pg_database where datname like 'vidb\_drift\_%'"; }
expect_no_scratch() { expect_eq "$(PSQL_URL=$ADMIN_DATABASE_URL scratch_count)" 0 "scratch databases left behind"; }

run "$F/vidb_schema_kinds" migrate
expect_rc 0
run "$F/vidb_schema_kinds" drift
expect_rc 0
expect_out_contains "No drift: database vidbtest_test_drift matches what its 1 applied migration builds ("
expect_no_scratch
run "$F/vidb_schema_kinds" drift --json
expect_rc 0
expect_eq "$(jq -r '[.ok, .drifted, .migrations_applied, (.only_in_database | length), (.different | length)] | join(" ")' <<<"$OUT")" \
  "true false 1 0 0" "drift --json on a match"

# Each kind of hand-made change.
psql_val "create index hand_made_idx on customers (created_at);
          alter table customers drop constraint name_not_blank;
          alter table \"Mixed Case\" alter column other type bigint;
          alter table customers alter column updated_at set default now();" >/dev/null
run "$F/vidb_schema_kinds" drift
expect_rc 1
expect_out_contains "Drift: database vidbtest_test_drift differs from what its 1 applied migration builds (4 differences):"
expect_out_contains $'Only in the database (made by hand?):\n  index public.hand_made_idx\n      CREATE INDEX hand_made_idx ON public.customers USING btree (created_at);'
expect_out_contains $'Only in the migrations (dropped or changed by hand?):\n  constraint public.customers.name_not_blank'
expect_out_contains $'  column public."Mixed Case".other\n      database:   bigint\n      migrations: integer'
expect_out_contains $'  column public.customers.updated_at\n      database:   timestamp with time zone DEFAULT now()\n      migrations: timestamp with time zone'
expect_no_scratch
run "$F/vidb_schema_kinds" drift --json
expect_rc 1
expect_eq "$(jq -r '.ok, .drifted, (.only_in_database[] | .kind + " " + .name), (.only_in_migrations[] | .kind + " " + .name), (.different[] | .name + "=" + .database + "/" + .migrations)' <<<"$OUT" | tr '\n' '|')" \
  'false|true|index public.hand_made_idx|constraint public.customers.name_not_blank|public."Mixed Case".other=bigint/integer|public.customers.updated_at=timestamp with time zone DEFAULT now()/timestamp with time zone|' \
  "drift --json"
expect_no_scratch

# Migrations not applied yet are not drift: they are left out, and named.
fresh_db vidbtest_drift_pending
run "$F/vidb_core" migrate --to 2
expect_rc 0
run "$F/vidb_core" drift
expect_rc 0
expect_err_contains "3 migrations this binary carries are not applied to the database and are left out of the comparison: 0003, 0004, 0005"
expect_out_contains "No drift: database vidbtest_drift_pending matches what its 2 applied migrations build"
psql_val "alter table accounts add column nickname text" >/dev/null
run "$F/vidb_core" drift
expect_rc 1
expect_out_contains $'  column public.accounts.nickname\n      text'


# A role without CREATEDB: a clear message, nothing created.
role=vidbtest_drift_nocreatedb
PSQL_URL=$ADMIN_DATABASE_URL psql_val "drop role if exists $role; create role $role login password 'pw-$role' nocreatedb" >/dev/null
# Its grants live in this database: drop it before the role.
at_exit "_drop_db vidbtest_drift_pending; PSQL_URL=\$ADMIN_DATABASE_URL _psql -c 'drop role if exists $role' >/dev/null 2>&1"
psql_val "grant select on all tables in schema public to $role" >/dev/null
run "$F/vidb_core" --url "postgresql://$role:pw-$role@${DATABASE_URL#*@}" drift
expect_rc 1
expect_err_contains "vidb: error: cannot create a scratch database: $role lacks the CREATEDB privilege"
expect_err_contains "ALTER ROLE $role CREATEDB"
expect_not_contains_anywhere "pw-$role"
expect_no_scratch

# The history kept elsewhere (--schema), looked for in the default schema: a warning.
fresh_db vidbtest_drift_elsewhere
run "$F/vidb_core" --schema vidb migrate
expect_rc 0
run "$F/vidb_core" --schema vidb drift
expect_rc 0
run "$F/vidb_core" drift --json
expect_rc 1
expect_err_contains "database vidbtest_drift_elsewhere has no public.vidb_schema_migrations: compared with what no migration builds (is --schema / VIDB_SCHEMA where vidb keeps its history there?)"
expect_eq "$(jq -r '.history_table, .migrations_applied' <<<"$OUT" | tr '\n' ' ')" "false 0 " "drift --json without the history table"

# Ctrl-C while the scratch database runs a slow migration: stopped, exit 130, the
# scratch database dropped. (The target gets the migration without its minute of
# pg_sleep: the --dry-run --sql script with that line taken out.)
fresh_db vidbtest_drift_sigint
slow=$F/vidb_selftest_slow
"$slow" migrate --dry-run --sql | grep -v 'pg_sleep(60)' >"$_tmp/slow.sql"
psql -X -w -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f "$_tmp/slow.sql" >/dev/null
"$slow" drift >"$_tmp/sigint.out" 2>"$_tmp/sigint.err" &
pid=$!
at_exit "kill -KILL $pid 2>/dev/null || true"
scratch=""
for _ in $(seq 1 200); do
  scratch=$(psql_val "select datname from pg_stat_activity where datname like 'vidb_drift_%'
                      and query like '%pg_sleep(60)%' limit 1")
  [[ -n $scratch ]] && break
  sleep 0.1
done
[[ -n $scratch ]] || fail "the slow migration never ran in a scratch database"
kill -INT "$pid"
RC=0
wait "$pid" || RC=$?
OUT=$(<"$_tmp/sigint.out") ERR=$(<"$_tmp/sigint.err") _last="vidb_selftest_slow drift (SIGINT)"
expect_rc 130
expect_err_contains "vidb: error: drift: applying the migrations in a scratch database failed:"
expect_err_contains "this happened in the scratch database $scratch, which is dropped; the target database vidbtest_drift_sigint was only read"
expect_no_scratch

pass
