#!/usr/bin/env bash
# ctest-labels: vidb
# vidb reset against the harness's server: rebuilds the database (rows and stray tables
# gone, schema and history back); refuses without --yes for ENVIRONMENT/VIDB_ENV=production
# or a remote host, changing nothing (the disposable-database rule: test_localdb_reset_guard.sh); falls back to reverting every migration when the
# role cannot create databases.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
unset ENVIRONMENT VIDB_ENV APP_ENV NODE_ENV RAILS_ENV RACK_ENV FLASK_ENV DJANGO_ENV STAGE ENV
fresh_db
db=vidbtest_test_localdb_reset
embedded=$(find "${VIDB_SOURCE_DIR:-$REPO_ROOT}/sql" -maxdepth 1 -name '*.up.sql' | wc -l)

run_vidb migrate
expect_rc 0
psql_val "insert into projects (name) values ('one'), ('two')" >/dev/null
psql_val "create table scratch (x int)" >/dev/null
# A session left open in the database: DROP ... WITH (FORCE) must end it.
(psql -X -w -q -d "$DATABASE_URL" -c 'select pg_sleep(120)' >/dev/null 2>&1 || true) &
sleeper=$!
at_exit "kill $sleeper 2>/dev/null || true"
for _ in $(seq 50); do
  [[ $(psql_val "select count(*) from pg_stat_activity where datname = '$db' and query like '%pg_sleep%' and pid <> pg_backend_pid()") == 1 ]] && break
  sleep 0.1
done

tables=$(psql_val "select count(*) from pg_tables where schemaname = 'public' and tablename not like 'vidb\_%'")
# The rows make it not disposable (test_localdb_reset_guard.sh): --yes.
run_vidb reset --yes
expect_rc 0
expect_out_contains "Resetting database $db on 127.0.0.1:"
expect_out_contains "(owner postgres): $embedded applied migration"
expect_out_contains ", $tables table"
expect_out_contains "Dropped and recreated database $db"
expect_out_contains "Reset done"
expect_not_contains_anywhere "$PG_PASSWORD"
expect_eq "$(psql_val 'select count(*) from projects')" 0 "rows after reset"
expect_eq "$(psql_val "select to_regclass('scratch') is null")" t "stray table dropped"
expect_eq "$(psql_val 'select count(*) from vidb_schema_migrations')" "$embedded" "history after reset"
expect_eq "$(psql_val "select count(*) from pg_trigger where tgname = 'projects_set_updated_at'")" 1 "trigger back"
for _ in $(seq 50); do
  kill -0 "$sleeper" 2>/dev/null || break
  sleep 0.1
done
_checks=$((_checks + 1))
! kill -0 "$sleeper" 2>/dev/null || fail "the other session survived the reset"

# Refusals change nothing.
psql_val "insert into projects (name) values ('precious')" >/dev/null
ENVIRONMENT=production run_vidb reset
expect_rc 4
expect_err_contains "refusing to reset without --yes: ENVIRONMENT=production"
expect_err_contains "it would destroy database $db"
expect_err_contains "nothing was changed"
VIDB_ENV=Production run_vidb reset
expect_rc 4
expect_err_contains "VIDB_ENV=Production"
printf 'VIDB_ENV=production\n' >"$_tmp/prod.env"
run_vidb --env-file "$_tmp/prod.env" reset
expect_rc 4
expect_err_contains "VIDB_ENV=production ($_tmp/prod.env)"
expect_eq "$(psql_val 'select name from projects')" "precious" "data after refused resets"

# A remote host is refused before anything is sent to it (db.invalid never resolves).
run_vidb --url "postgresql://app:remote-secret-7@db.invalid:5432/app" reset
expect_rc 4
expect_err_contains "the host is not local (app@db.invalid:5432/app)"
expect_not_contains_anywhere "remote-secret-7"

ENVIRONMENT=production run_vidb reset --yes
expect_rc 0
expect_eq "$(psql_val 'select count(*) from projects')" 0 "rows after reset --yes"

# A role that owns its database but may not create databases: reset reverts instead.
role="vidb_nocreatedb_$$"
role_db="vidbtest_localdb_reset_role"
at_exit "printf '%s\\n' 'DROP DATABASE IF EXISTS $role_db WITH (FORCE);' 'DROP ROLE IF EXISTS $role;' | PSQL_URL=\$ADMIN_DATABASE_URL _psql >/dev/null 2>&1"
printf '%s\n' "CREATE ROLE $role LOGIN PASSWORD 'nocreate-pw' NOCREATEDB;" "CREATE DATABASE $role_db OWNER $role;" |
  PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null
role_url="postgresql://$role:nocreate-pw@${ADMIN_DATABASE_URL#*@}"
role_url="${role_url%/*}/$role_db"
run_vidb --url "$role_url" migrate
expect_rc 0
PSQL_URL=$role_url psql_val "insert into projects (name) values ('three'); create table scratch (x int)" >/dev/null
run_vidb --url "$role_url" reset --yes
expect_rc 0
expect_out_contains "role $role may not create databases (no CREATEDB)"
expect_out_contains "reverts every applied migration instead"
expect_out_contains "Reset done"
export PSQL_URL=$role_url
expect_eq "$(psql_val 'select count(*) from projects')" 0 "rows after the reverting reset"
expect_eq "$(psql_val 'select count(*) from vidb_schema_migrations')" "$embedded" "history after the reverting reset"
expect_eq "$(psql_val "select to_regclass('scratch') is not null")" t "objects outside the migrations are kept"
pass
