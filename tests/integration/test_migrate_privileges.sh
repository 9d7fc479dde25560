#!/usr/bin/env bash
# ctest-labels: fixtures
# Missing privileges and read-only databases: the error names the SQLSTATE, what vidb
# was doing (creating its history table, taking its lock) and the GRANT or setting that
# fixes it; nothing is changed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
fresh_db
F=$VIDB_FIXTURE_DIR
db=vidbtest_test_migrate_privileges

# A login role that does not own the database: since PostgreSQL 15 it may not create in
# schema public.
app=vidb_priv_app
PSQL_URL=$ADMIN_DATABASE_URL psql_val "DROP ROLE IF EXISTS $app; CREATE ROLE $app LOGIN PASSWORD 'app-secret'" >/dev/null
at_exit "PSQL_URL=\$ADMIN_DATABASE_URL psql_val 'DROP OWNED BY $app; DROP ROLE IF EXISTS $app' >/dev/null 2>&1"
at_exit "_drop_db $db" # before the role goes
psql_val "REVOKE CREATE ON SCHEMA public FROM PUBLIC" >/dev/null
rest=${DATABASE_URL#*://}
app_url="postgresql://$app:app-secret@${rest#*@}"

run env DATABASE_URL="$app_url" "$F/vidb_core" migrate
expect_rc 1
expect_err_contains "vidb: error: cannot create vidb's history table"
expect_err_contains "permission denied for schema public"
expect_err_contains "SQLSTATE 42501 while vidb was creating its history table"
expect_err_contains "fix: GRANT CREATE ON SCHEMA public TO $app;"
expect_err_contains "nothing was changed"
expect_eq "$(psql_val "select to_regclass('public.vidb_schema_migrations') is null, to_regclass('public.accounts') is null")" \
  "t|t" "nothing was created"

# The advice works.
psql_val "GRANT CREATE ON SCHEMA public TO $app" >/dev/null
run env DATABASE_URL="$app_url" "$F/vidb_core" migrate --to 1
expect_rc 0

# vidb's tables owned by another role, the history table read-only for this one:
# recording the migration fails, and the whole migration is rolled back.
psql_val "DROP TABLE vidb_schema_migrations, vidb_migration_progress, vidb_migration_lock, accounts" >/dev/null
run "$F/vidb_core" migrate --to 1
expect_rc 0
psql_val "GRANT SELECT, INSERT, UPDATE, DELETE ON vidb_migration_lock, vidb_migration_progress TO $app;
          GRANT SELECT ON vidb_schema_migrations TO $app; GRANT ALL ON accounts TO $app" >/dev/null
run env DATABASE_URL="$app_url" "$F/vidb_core" migrate --to 2
expect_rc 1
expect_err_contains "permission denied for table vidb_schema_migrations"
expect_err_contains "SQLSTATE 42501 while vidb was recording 0002_add_accounts_name in its history"
expect_err_contains "fix: GRANT SELECT, INSERT, UPDATE, DELETE ON public.vidb_schema_migrations TO $app;"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "0002 not applied"
expect_eq "$(psql_val "select count(*) from vidb_migration_lock")" 0 "lock released"

# Read-only database, vidb's tables present: taking the lock fails.
psql_val "ALTER DATABASE $db SET default_transaction_read_only = on" >/dev/null
run "$F/vidb_core" migrate
expect_rc 1
expect_err_contains "cannot take the migration lock"
expect_err_contains "SQLSTATE 25006 while vidb was taking its migration lock"
expect_err_contains "fix: default_transaction_read_only is on for database $db: ALTER DATABASE $db RESET default_transaction_read_only"
expect_eq "$(PGOPTIONS='-c default_transaction_read_only=off' psql_val "select count(*) from vidb_schema_migrations")" 1 \
  "nothing was applied"

# Read-only for a role, no vidb tables yet: creating the history table fails.
PSQL_URL=$ADMIN_DATABASE_URL psql_val "ALTER DATABASE $db RESET default_transaction_read_only" >/dev/null
psql_val "DROP TABLE vidb_schema_migrations, vidb_migration_progress, vidb_migration_lock, accounts" >/dev/null
psql_val "ALTER ROLE $app SET default_transaction_read_only = on" >/dev/null
run env DATABASE_URL="$app_url" "$F/vidb_core" migrate
expect_rc 1
expect_err_contains "SQLSTATE 25006 while vidb was creating its history table"
expect_err_contains "fix: default_transaction_read_only is on for role $app: ALTER ROLE $app RESET default_transaction_read_only"
pass
