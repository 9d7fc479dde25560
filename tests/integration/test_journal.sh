#!/usr/bin/env bash
# ctest-labels: fixtures
# The journal of no-transaction runs (vidb_migration_progress) never lets the history lie:
#   - a partial run resumed with an edited file is refused (exit 4), naming both checksums;
#   - a progress row written by an older vidb (no checksum column) is upgraded in place and
#     resumed only when its statement count matches;
#   - a no-transaction down that fails half way is journaled: status shows it partially
#     reverted, selftest fails, migrate and revert refuse, repair --resume finishes the
#     revert and --forget keeps the migration applied.
source "$(dirname "$0")/lib.sh"
fresh_db
V1="$VIDB_FIXTURE_DIR/vidb_notx_fail"
V2="$VIDB_FIXTURE_DIR/vidb_notx_fail_v2"
DOWN="$VIDB_FIXTURE_DIR/vidb_notx_down"
sum() { sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/$1" | cut -d' ' -f1; }
old=$(sum notx_fail/0002_partial.up.sql)
new=$(sum notx_fail_v2/0002_partial.up.sql)

# --- Resume after the file changed: refused, nothing changed.
run "$V1" migrate
expect_rc 1
expect_eq "$(psql_val "select checksum from vidb_migration_progress where version = 2")" "$old" "journaled checksum"
psql_val "create table audit (at timestamptz)" >/dev/null
run "$V2" repair 2 --resume
expect_rc 4
expect_err_contains "refusing to resume 0002_partial: 0002_partial.up.sql changed since the run that stopped (started with ${old:0:12}, this build has ${new:0:12})"
expect_err_contains "checksum $old"
expect_err_contains "checksum $new"
expect_err_contains "vidb repair 2 --forget"
expect_eq "$(psql_val "select to_regclass('added_later') is null and to_regclass('after_partial') is null")" t "nothing ran"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "not recorded as applied"
expect_eq "$(psql_val "select statements_done from vidb_migration_progress")" 1 "journal unchanged"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock released after the refusal"
# The build that started it resumes it.
run "$V1" repair 2 --resume
expect_rc 0
expect_eq "$(psql_val "select checksum from vidb_schema_migrations where version = 2")" "$old"

# --- A progress table from an older vidb (no journal columns) and its row.
fresh_db vidbtest_journal_old
run "$V1" migrate
expect_rc 1
psql_val "alter table vidb_migration_progress drop column direction, drop column checksum, drop column invalid_indexes" >/dev/null
run "$V1" status
expect_rc 0
expect_out_contains "1 of 3 statements ran"
psql_val "create table audit (at timestamptz)" >/dev/null
run "$V2" repair 2 --resume
expect_rc 4
expect_err_contains "written by an older vidb, without a checksum) counts 3 statements, this build's 0002_partial.up.sql has 4"
expect_eq "$(psql_val "select count(*) from information_schema.columns where table_name = 'vidb_migration_progress' and column_name in ('direction', 'checksum', 'invalid_indexes')")" 3 "columns added on ensure"
run "$V1" repair 2 --resume
expect_rc 0
expect_out_contains "has no checksum (written by an older vidb); resuming because its statement count matches (3)"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2

# An older progress table owned by another role: a clear error with the ALTER to run.
fresh_db vidbtest_journal_owner
run "$V1" migrate --to 1
expect_rc 0
psql_val "alter table vidb_migration_progress drop column direction, drop column checksum, drop column invalid_indexes" >/dev/null
role=vidbtest_journal_app
psql_val "drop role if exists $role; create role $role login password 'pw-$role'" >/dev/null
at_exit "PSQL_URL=\$ADMIN_DATABASE_URL _psql -c 'drop owned by $role' -c 'drop role if exists $role' >/dev/null 2>&1"
psql_val "grant select, insert, update, delete on vidb_schema_migrations, vidb_migration_progress, vidb_migration_lock to $role; grant create on schema public to $role" >/dev/null
run "$V1" --url "postgresql://$role:pw-$role@${DATABASE_URL#*@}" migrate
expect_rc 1
expect_err_contains "cannot add the columns this vidb needs to public.vidb_migration_progress and public.vidb_schema_migrations (created by an older vidb): must be owner of table vidb_migration_progress"
expect_err_contains "run this once as their owner:"
expect_err_contains "ALTER TABLE public.vidb_migration_progress ADD COLUMN IF NOT EXISTS direction"
expect_not_contains_anywhere "pw-$role"

# --- A no-transaction down that fails half way.
fresh_db vidbtest_journal_down
run "$DOWN" migrate
expect_rc 0
psql_val "create view notes_view as select * from notes" >/dev/null
run "$DOWN" revert
expect_rc 1
expect_err_contains "revert of 0002_notes failed at statement 2 of 2 (line 5): cannot drop table notes because other objects depend on it"
expect_err_contains "statements 1-1 of 2 of its down ran and stay applied"
expect_err_contains "vidb repair 2 --resume to finish the revert"
expect_eq "$(psql_val "select to_regclass('accounts_email_idx') is null")" t "statement 1 of the down ran"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock released after the failed revert"
run "$DOWN" status
expect_rc 0
expect_out_contains "partial"
expect_out_contains "partially reverted: 1 of 2 statements of its down ran"
run "$DOWN" --json status
python3 -c 'import json,sys; m=json.loads(sys.argv[1])["migrations"][1]; assert m["state"]=="partial" and m["direction"]=="down" and m["statements_done"]==1, m' "$OUT" || fail "json: 0002 not a partial down"
run "$DOWN" selftest
expect_rc 1
expect_out_contains "0002_notes (partially reverted)"
run "$DOWN" migrate
expect_rc 4
expect_err_contains "is partially reverted: 1 of 2 statements of its down ran"
run "$DOWN" revert
expect_rc 4
expect_err_contains "is partially reverted"
run "$DOWN" revert --dry-run
expect_rc 4
run "$DOWN" redo
expect_rc 4
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "refusals changed nothing"
# Resume while the cause remains: fails again at statement 2, still journaled.
run "$DOWN" repair 2 --resume
expect_rc 1
expect_err_contains "revert of 0002_notes failed at statement 2 of 2"
psql_val "drop view notes_view" >/dev/null
run "$DOWN" repair 2 --resume
expect_rc 0
expect_out_contains "resuming the revert of 0002_notes after statement 1 of 2"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations where version = 2")" 0 "reverted: history row gone"
expect_eq "$(psql_val "select count(*) from vidb_migration_progress")" 0
expect_eq "$(psql_val "select to_regclass('notes') is null")" t
run "$DOWN" status
expect_out_contains "1 applied, 1 pending"

# --forget of a partial down: redo by hand what it undid; the migration stays applied.
run "$DOWN" migrate
expect_rc 0
psql_val "create view notes_view as select * from notes" >/dev/null
run "$DOWN" revert
expect_rc 1
psql_val "drop view notes_view" >/dev/null
psql_val "create index concurrently accounts_email_idx on accounts (email)" >/dev/null
run "$DOWN" repair 2 --forget
expect_rc 0
expect_out_contains "it stays applied"
run "$DOWN" status
expect_out_contains "2 applied, 0 pending"
run "$DOWN" selftest
expect_rc 0
run "$DOWN" revert
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1
pass
