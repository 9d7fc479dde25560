#!/usr/bin/env bash
# ctest-labels: fixtures
# CREATE INDEX CONCURRENTLY IF NOT EXISTS stopped by lock_timeout (another session holds
# an uncommitted write on the table) leaves an INVALID index. vidb must say so, with the
# exact DROP to run; repair --resume must refuse while it exists (IF NOT EXISTS would
# skip it and the migration would be recorded as applied without its index); after the
# DROP the resume builds a valid index. An INVALID index from before the run is not
# counted as built either.
source "$(dirname "$0")/lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_notx_down"
run "$V" migrate --to 1
expect_rc 0

# An open transaction with a write on accounts: CREATE INDEX CONCURRENTLY creates its
# (invalid) index, then waits for that transaction and trips lock_timeout.
psql -X -q -d "$DATABASE_URL" -c "begin; insert into accounts values (1, 'a@example.com'); select pg_sleep(4); commit;" >/dev/null &
holder=$!
at_exit "kill $holder 2>/dev/null"
for _ in $(seq 1 50); do
  [[ $(psql_val "select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'accounts' and l.mode = 'RowExclusiveLock' and l.granted") == 1 ]] && break
  sleep 0.1
done
run "$V" migrate --lock-timeout 500ms
expect_rc 1
expect_err_contains "migration 0002_notes failed at statement 1 of 2"
expect_err_contains "SQLSTATE 55P03"
expect_err_contains "no statement completed"
expect_err_contains "statement 1 left the INVALID index public.accounts_email_idx behind"
expect_err_contains "DROP INDEX CONCURRENTLY public.accounts_email_idx;"
expect_eq "$(psql_val "select indisvalid from pg_index where indexrelid = 'accounts_email_idx'::regclass")" f "an INVALID index is left"
expect_eq "$(psql_val "select invalid_indexes from vidb_migration_progress where version = 2")" "public.accounts_email_idx" "journaled"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock released after the failure"
wait "$holder" || true
run "$V" status
expect_out_contains "0 of 2 statements ran"
expect_out_contains "left the INVALID index public.accounts_email_idx: before resuming, run DROP INDEX CONCURRENTLY public.accounts_email_idx;"

# The resume refuses while the index is invalid, and says what to run.
run "$V" repair 2 --resume
expect_rc 4
expect_err_contains "refusing to resume 0002_notes: statement 1 left the INVALID index public.accounts_email_idx"
expect_err_contains "drop it first: DROP INDEX CONCURRENTLY public.accounts_email_idx;"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "not recorded as applied"
expect_eq "$(psql_val "select to_regclass('notes') is null")" t "nothing ran"

# Even without the journaled name (a lost connection cannot record it), the index the
# resumed statement names is checked.
psql_val "update vidb_migration_progress set invalid_indexes = null" >/dev/null
run "$V" repair 2 --resume
expect_rc 4
expect_err_contains "DROP INDEX CONCURRENTLY public.accounts_email_idx;"

psql_val "DROP INDEX CONCURRENTLY public.accounts_email_idx" >/dev/null
run "$V" repair 2 --resume
expect_rc 0
expect_eq "$(psql_val "select indisvalid from pg_index where indexrelid = 'accounts_email_idx'::regclass")" t "a valid index"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2
expect_eq "$(psql_val "select count(*) from vidb_migration_progress")" 0

# An INVALID index left before the run (a failed build by hand, or repair --forget without
# the DROP): IF NOT EXISTS skips it, so the statement succeeds without building anything.
# vidb must not count it as done.
fresh_db vidbtest_invalid_index_before
run "$V" migrate --to 1
expect_rc 0
psql_val "insert into accounts values (1, 'same@example.com'), (2, 'same@example.com')" >/dev/null
_psql -c "create unique index concurrently accounts_email_idx on accounts (email)" >/dev/null 2>&1 || true
expect_eq "$(psql_val "select indisvalid from pg_index where indexrelid = 'accounts_email_idx'::regclass")" f "an INVALID index by hand"
run "$V" migrate
expect_rc 1
expect_err_contains "migration 0002_notes stopped at statement 1 of 2 (line 4): the index public.accounts_email_idx is INVALID"
expect_err_contains "drop it: DROP INDEX CONCURRENTLY public.accounts_email_idx;"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "not recorded as applied"
expect_eq "$(psql_val "select statements_done from vidb_migration_progress")" 0 "statement 1 not counted"
psql_val "DROP INDEX CONCURRENTLY public.accounts_email_idx" >/dev/null
run "$V" repair 2 --resume
expect_rc 0
expect_eq "$(psql_val "select indisvalid from pg_index where indexrelid = 'accounts_email_idx'::regclass")" t "a valid index"
pass
