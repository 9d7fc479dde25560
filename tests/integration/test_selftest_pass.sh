#!/usr/bin/env bash
# ctest-labels: vidb
# vidb selftest after vidb migrate: every check passes, the last line is exactly
# "N passed, 0 failed", and nothing is left behind (rows, relations, history).
# Also through a transaction-pooling PgBouncer, which the pooler check reports.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
fresh_db

run_vidb migrate
expect_rc 0
psql_val "insert into projects (name) values ('existing one'), ('existing two')" >/dev/null

snapshot() {
  psql_val "select (select count(*) from projects) || ' rows, '
    || (select string_agg(name, ',' order by name) from projects) || '; '
    || (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%') || ' relations; '
    || (select count(*) from vidb_schema_migrations) || ' applied'"
}
before=$(snapshot)

run_vidb selftest
expect_rc 0
for name in "${SELFTEST_BUILTINS[@]}" "${SELFTEST_PROJECT_CHECKS[@]}"; do
  expect_check pass "$name"
done
expect_check pass "connection pooler" "none: a direct connection"
expect_check pass "server version" ", supported: 13 or newer"
expect_check pass "migrations applied" "all 1 embedded migration applied"
expect_summary 15 0
[[ $(last_line) =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || fail "final line: $(last_line)"
[[ ${PG_PASSWORD:-} == "" ]] || expect_not_contains_anywhere "$PG_PASSWORD"

# No residue: the same rows, relations and history as before.
expect_eq "$(snapshot)" "$before" "database contents after selftest"
expect_eq "$(psql_val "select count(*) from projects where name like 'vidb selftest%'")" 0 "selftest rows"

# --quiet prints only failures and the totals.
run_vidb --quiet selftest
expect_rc 0
expect_eq "$OUT" "15 passed, 0 failed" "quiet output"

# Through PgBouncer in transaction pooling mode: works, and says so.
if [[ -n ${PGBOUNCER_URL:-} ]]; then
  db=${DATABASE_URL##*/}
  run_vidb --url "${PGBOUNCER_URL%/*}/$db" selftest
  expect_rc 0
  expect_check pass "connection pooler" "transaction pooling detected"
  expect_out_contains "a proxy answered the connection"
  expect_summary 15 0
  expect_eq "$(snapshot)" "$before" "database contents after selftest through pgbouncer"
fi

pass
