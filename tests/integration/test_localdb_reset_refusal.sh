#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# vidb reset as a role that may not drop its database reverts every migration instead;
# anything that would stop that half way (a partial no-transaction migration, an
# irreversible or drifted one) is refused with exit 4 BEFORE the first change: every
# table and row is still there.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
unset ENVIRONMENT VIDB_ENV APP_ENV NODE_ENV RAILS_ENV
fresh_db
notx="$VIDB_FIXTURE_DIR/vidb_notx_fail"
core="$VIDB_FIXTURE_DIR/vidb_core"
drift="$VIDB_FIXTURE_DIR/vidb_drift_v2"
for binary in "$notx" "$core" "$drift"; do
  [[ -x $binary ]] || fail "fixture not built: $binary"
done

role="vidb_reset_refusal_$$"
# The database first (the role owns it), then the role.
at_exit "_drop_db vidbtest_test_localdb_reset_refusal; printf '%s\\n' 'DROP ROLE IF EXISTS $role;' | PSQL_URL=\$ADMIN_DATABASE_URL _psql >/dev/null 2>&1"
printf '%s\n' "CREATE ROLE $role LOGIN PASSWORD 'refusal-pw' NOCREATEDB;" | PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null
psql_val "ALTER DATABASE vidbtest_test_localdb_reset_refusal OWNER TO $role" >/dev/null
role_url="postgresql://$role:refusal-pw@${DATABASE_URL#*@}"
export PSQL_URL=$role_url

tables() { psql_val "select string_agg(tablename, ',' order by tablename) from pg_tables where schemaname = 'public'"; }

# 0001 applied, 0002 (no-transaction) stopped part way.
run "$notx" --url "$role_url" migrate
expect_rc 1
psql_val "insert into accounts values (1, 'kept@example.com')" >/dev/null
before=$(tables)
run "$notx" --url "$role_url" reset --yes
expect_rc 4
expect_err_contains "cannot reset by reverting every migration: 0002_partial is partial"
expect_err_contains "nothing was changed"
expect_eq "$(tables)" "$before" "tables after the refused reset (partial)"
expect_eq "$(psql_val 'select email from accounts')" kept@example.com "rows after the refused reset (partial)"
expect_eq "$(psql_val 'select count(*) from vidb_schema_migrations')" 1 "history after the refused reset"
expect_eq "$(psql_val 'select count(*) from vidb_migration_progress')" 1 "partial record after the refused reset"
run "$notx" --json --url "$role_url" reset --yes
expect_rc 4
expect_eq "$(jq -r '.ok, .error.exit_code, (.steps | length)' <<<"$OUT" | tr '\n' ' ')" "false 4 0 " "refusal as JSON"

# An irreversible migration (0004_seed_accounts has no down file).
psql_val "drop table accounts; truncate vidb_schema_migrations, vidb_migration_progress" >/dev/null
run "$core" --url "$role_url" migrate
expect_rc 0
before=$(tables)
run "$core" --url "$role_url" reset --yes
expect_rc 4
expect_err_contains "0004_seed_accounts is irreversible"
expect_eq "$(tables)" "$before" "tables after the refused reset (irreversible)"
expect_eq "$(psql_val 'select count(*) from accounts')" 1 "rows after the refused reset (irreversible)"

# A drifted migration: reverting would run the new build's down on the old schema.
psql_val "drop table accounts; drop table if exists vidb_schema_migrations; drop table if exists vidb_migration_progress; drop table if exists vidb_migration_lock" >/dev/null
run "$core" --url "$role_url" migrate --to 1
expect_rc 0
psql_val "insert into accounts values (7, 'drift@example.com')" >/dev/null
run "$drift" --url "$role_url" reset --yes
expect_rc 4
expect_err_contains "0001_create_accounts changed since it was applied"
expect_eq "$(psql_val 'select email from accounts')" drift@example.com "rows after the refused reset (drift)"

# Nothing in the way (every migration reversible): the reverting reset runs.
psql_val "drop table accounts; drop table vidb_schema_migrations" >/dev/null
run_vidb --url "$role_url" migrate
expect_rc 0
psql_val "insert into projects (name) values ('gone')" >/dev/null
run_vidb --url "$role_url" reset --yes
expect_rc 0
expect_out_contains "reverts every applied migration instead"
expect_out_contains "Reset done"
expect_eq "$(psql_val 'select count(*) from projects')" 0 "rows after the reverting reset"
pass
