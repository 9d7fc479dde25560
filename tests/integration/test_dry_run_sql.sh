#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# migrate --dry-run --sql / revert --dry-run --sql: the script is what vidb sends (BEGIN,
# lock_timeout, the history INSERT with its checksum, the file, COMMIT; a no-transaction
# file statement by statement with its journal writes); the dry run changes nothing; psql
# running the script leaves a database exactly as vidb migrate / revert leaves its twin
# (same schema, same history rows but for timings and timestamps).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
V=$VIDB_FIXTURE_DIR/vidb_notx_down
fresh_db vidbtest_dry_run_sql_a
A=$DATABASE_URL
fresh_db vidbtest_dry_run_sql_b
B=$DATABASE_URL

# psql_script URL FILE: run a script the way the header says.
psql_script() {
  _checks=$((_checks + 1))
  local out
  out=$(psql -X -w -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" 2>&1) || fail "psql could not run $2: $out"
}
history_rows() {
  PSQL_URL=$1 psql_val "select version, name, checksum, applied_by, execution_ms is not null
                        from vidb_schema_migrations order by version"
}
# same: A and B have the same schema (vidb's tables included) and the same history.
same() {
  local dump_a dump_b
  run "$V" --url "$A" schema dump --include-vidb-tables
  expect_rc 0
  dump_a=$OUT
  run "$V" --url "$B" schema dump --include-vidb-tables
  expect_rc 0
  dump_b=$OUT
  expect_eq "$dump_b" "$dump_a" "$1: the schema of the database the script ran on"
  expect_eq "$(history_rows "$B")" "$(history_rows "$A")" "$1: history rows"
  expect_eq "$(PSQL_URL=$B psql_val 'select count(*) from vidb_migration_progress')" 0 "$1: journal rows"
  expect_eq "$(PSQL_URL=$B psql_val 'select count(*) from vidb_migration_lock')" 0 "$1: lock rows"
}

run "$V" --url "$B" migrate --dry-run --sql --lock-timeout 3s
expect_rc 0
printf '%s\n' "$OUT" >"$_tmp/up.sql"
# The dry run changed nothing, not even vidb's tables.
expect_eq "$(PSQL_URL=$B psql_val "select to_regclass('vidb_schema_migrations') is null")" t "history table after --dry-run --sql"
up_checksum=$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/notx_down/0001_create_accounts.up.sql" | cut -d' ' -f1)
notx_checksum=$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/notx_down/0002_notes.up.sql" | cut -d' ' -f1)
expect_out_contains "-- Run it with: psql -v ON_ERROR_STOP=1 -f FILE"
expect_out_contains "CREATE TABLE IF NOT EXISTS public.vidb_schema_migrations ("
expect_out_contains $'-- 0001_create_accounts.up.sql\nBEGIN;\nSET LOCAL lock_timeout = \'3000ms\';\nSET LOCAL statement_timeout = \'0\';'
expect_out_contains "INSERT INTO public.vidb_schema_migrations (version, name, checksum, applied_by) VALUES (1, 'create_accounts', '$up_checksum', "
expect_out_contains $'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n\n;\nRESET ALL;'
expect_out_contains $'WHERE version = 1;\nCOMMIT;'
expect_out_contains "-- 0002_notes.up.sql (no transaction: statement by statement, journaled)"
expect_out_contains "VALUES (2, 'notes', 'up', '$notx_checksum', 0, 2) ON CONFLICT (version)"
expect_out_contains $'SET lock_timeout = \'3000ms\';'
expect_out_contains $'CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON accounts (email);\nBEGIN ISOLATION LEVEL READ COMMITTED, READ WRITE;'
expect_out_contains "UPDATE public.vidb_migration_progress SET statements_done = 1, updated_at = pg_catalog.now() WHERE version = 2;"
expect_out_contains $'CREATE TABLE notes (id int);\nBEGIN ISOLATION LEVEL READ COMMITTED, READ WRITE;'
expect_out_contains "UPDATE public.vidb_migration_progress SET statements_done = 2, updated_at = pg_catalog.now() WHERE version = 2;"
expect_out_contains "DELETE FROM public.vidb_migration_progress WHERE version = 2;"

# psql runs the script on B, vidb migrates A: the same result.
psql_script "$B" "$_tmp/up.sql"
log_from=0
[[ -n ${PG_HARNESS_DIR:-} && -f $PG_HARNESS_DIR/server.log ]] && log_from=$(wc -c <"$PG_HARNESS_DIR/server.log")
RC=0 _last="migrate A with log_statement=all"
PGOPTIONS="-c log_statement=all" "$V" --url "$A" migrate --lock-timeout 3s >"$_tmp/out" 2>"$_tmp/err" || RC=$?
OUT=$(<"$_tmp/out") ERR=$(<"$_tmp/err")
expect_rc 0
same "migrate"

# Byte for byte: every string vidb sent to A as a plain query (its migration writes; its
# reads are SELECTs, its lock and heartbeat are prepared statements) is in the script,
# in order, and the script holds nothing else but comments and psql's `;` lines. Only
# execution_ms, a timing, differs. (Needs the harness's server log: scripts/test-env.sh.)
if [[ -n ${PG_HARNESS_DIR:-} && -f $PG_HARNESS_DIR/server.log ]]; then
  # The log may be written after vidb is done (a logging collector): wait for the last write.
  for _ in $(seq 1 100); do
    tail -c +"$((log_from + 1))" "$PG_HARNESS_DIR/server.log" >"$_tmp/server.log"
    grep -q "DELETE FROM public.vidb_migration_progress WHERE version = 2;" "$_tmp/server.log" && break
    sleep 0.1
  done
  _checks=$((_checks + 1))
  python3 - "$_tmp/server.log" "$_tmp/up.sql" vidbtest_dry_run_sql_a <<'PY' || fail "the script is not what vidb sent (above)"
import re, sys
log, script, db = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
# "<time> [pid] user@db LOG:  statement: <text>", continuation lines indented by a tab.
sent = []
for entry in re.split(r"\n(?=\d{4}-\d\d-\d\d )", log):
    m = re.match(r"\S+ \S+ \S+ \[\d+\] \S*@" + db + r" LOG:  statement: (.*)", entry, re.S)
    if m and not m.group(1).lstrip().upper().startswith("SELECT"):
        sent.append(m.group(1).replace("\n\t", "\n").rstrip("\n"))
timing = re.compile(r"(execution_ms, applied_by\) VALUES \(\d+, '[^']*', '[0-9a-f]+', )\d+")
script = timing.sub(r"\g<1>MS", script)
rest, at = [], 0
for text in sent:
    text = timing.sub(r"\g<1>MS", text)
    found = script.find(text, at)
    if found < 0:
        sys.exit("sent, not in the script (after offset %d):\n%s" % (at, text))
    rest.append(script[at:found])
    at = found + len(text)
rest.append(script[at:])
for line in "".join(rest).splitlines():
    if line.strip() and line.strip() != ";" and not line.startswith("--"):
        sys.exit("in the script, not sent: " + line)
if len(sent) < 8:
    sys.exit("too few statements in the server log: %d" % len(sent))
PY
fi
expect_eq "$(history_rows "$B" | cut -d'|' -f1,2,3 | tr '\n' ' ')" "1|create_accounts|$up_checksum 2|notes|$notx_checksum " "history of B"

# Nothing pending: only the header.
run "$V" --url "$B" migrate --dry-run --sql
expect_rc 0
expect_out_contains "(0 migrations)"
expect_not_contains_anywhere "BEGIN"

# revert --all --dry-run --sql: the no-transaction down, then the transactional one.
run "$V" --url "$B" revert --all --dry-run --sql
expect_rc 0
printf '%s\n' "$OUT" >"$_tmp/down.sql"
expect_not_contains_anywhere "CREATE TABLE IF NOT EXISTS"
expect_out_contains "-- 0002_notes.down.sql (no transaction: statement by statement, journaled)"
expect_out_contains "DROP INDEX CONCURRENTLY IF EXISTS accounts_email_idx;"
expect_out_contains $'-- 0001_create_accounts.down.sql\nBEGIN;'
expect_out_contains $'DROP TABLE accounts;\n\n;\nRESET ALL;\nSET SESSION AUTHORIZATION DEFAULT;\nRESET ROLE;\nDELETE FROM public.vidb_schema_migrations WHERE version = 1;\nCOMMIT;'
expect_eq "$(history_rows "$B" | wc -l)" 2 "history rows after revert --dry-run --sql"
psql_script "$B" "$_tmp/down.sql"
run "$V" --url "$A" revert --all
expect_rc 0
same "revert"
expect_eq "$(history_rows "$B")" "" "history after the revert script"

# Part way: the script starts from where the database is (its history table exists).
run "$V" --url "$A" migrate --to 1
expect_rc 0
run "$V" --url "$B" migrate --to 1
expect_rc 0
run "$V" --url "$B" migrate --dry-run --sql
expect_rc 0
expect_not_contains_anywhere "CREATE TABLE IF NOT EXISTS"
expect_not_contains_anywhere "0001_create_accounts"
printf '%s\n' "$OUT" >"$_tmp/rest.sql"
psql_script "$B" "$_tmp/rest.sql"
run "$V" --url "$A" migrate
expect_rc 0
same "the rest"

# Usage.
run "$V" --url "$B" migrate --sql
expect_rc 2
expect_err_contains "--sql requires --dry-run"
run "$V" --url "$B" migrate --dry-run --sql --json
expect_rc 2
expect_err_contains "--sql prints a SQL script, not JSON"

pass
