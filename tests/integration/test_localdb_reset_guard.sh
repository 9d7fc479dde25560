#!/usr/bin/env bash
# ctest-labels: vidb
# vidb reset without --yes goes ahead only on a local database it can show is
# disposable (no production signal in any common stage variable; a server vidb up runs,
# or no rows outside vidb's history); a local PgBouncer in front of a database with rows
# is refused. --yes always goes ahead. Every refusal is exit 4 with nothing dropped.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
stage_vars=(ENVIRONMENT VIDB_ENV APP_ENV NODE_ENV RAILS_ENV RACK_ENV FLASK_ENV DJANGO_ENV STAGE ENV DEPLOY_ENV
  MIX_ENV ASPNETCORE_ENVIRONMENT SPRING_PROFILES_ACTIVE)
unset "${stage_vars[@]}"
fresh_db
db=vidbtest_test_localdb_reset_guard

# The rule is in the help, with every variable the guard reads.
run_vidb reset --help
expect_rc 0
expect_out_contains "Without --yes, reset goes ahead only when"
for var in "${stage_vars[@]}"; do
  expect_out_contains "$var"
done

run_vidb migrate
expect_rc 0

# A freshly migrated, empty database on loopback: disposable, no --yes needed.
psql_val "create table scratch (x int)" >/dev/null
run_vidb --json reset
expect_rc 0
expect_eq "$(jq -r .ok <<<"$OUT")" true "reset --json ok"
expect_eq "$(jq -r .method <<<"$OUT")" recreated "reset method"
expect_eq "$(jq -r .guard <<<"$OUT")" "none of its tables holds a row besides vidb's history" "reset guard"
expect_eq "$(psql_val "select to_regclass('scratch') is null")" t "empty stray table dropped"

# A production signal refuses even the empty database.
NODE_ENV=production run_vidb reset
expect_rc 4
expect_err_contains "refusing to reset without --yes: NODE_ENV=production (environment)"
expect_err_contains "nothing was changed"

# From here on the database holds a user's rows.
psql_val "insert into projects (name) values ('precious')" >/dev/null
for var in "${stage_vars[@]}"; do
  for value in production PROD Live; do
    env "$var=$value" "$VIDB" reset >"$_tmp/out" 2>"$_tmp/err" && RC=0 || RC=$?
    ERR=$(<"$_tmp/err")
    expect_rc 4
    expect_err_contains "$var=$value"
  done
done
SPRING_PROFILES_ACTIVE=cloud,prod run_vidb reset
expect_rc 4
expect_err_contains "SPRING_PROFILES_ACTIVE=cloud,prod"
printf 'RAILS_ENV=production\n' >"$_tmp/prod.env"
run_vidb --env-file "$_tmp/prod.env" reset
expect_rc 4
expect_err_contains "RAILS_ENV=production ($_tmp/prod.env)"
# Not production: development or a value merely containing "prod".
NODE_ENV=development APP_ENV=preproduction run_vidb reset
expect_rc 4
expect_err_contains "refusing to reset without --yes: the database may hold data: table public.projects holds rows"
expect_err_contains "it would destroy database $db"
expect_err_contains "nothing was changed"

# Through a local PgBouncer (like kubectl port-forward or cloud-sql-proxy: a loopback port
# that may lead anywhere) the rows still count.
if [[ -n ${PGBOUNCER_URL:-} ]]; then
  run_vidb --url "${PGBOUNCER_URL%/*}/$db" reset
  expect_rc 4
  expect_err_contains "table public.projects holds rows"
  run_vidb --json --url "${PGBOUNCER_URL%/*}/$db" reset
  expect_rc 4
  expect_eq "$(jq -r '.ok, .error.exit_code' <<<"$OUT" | tr '\n' ' ')" "false 4 " "refusal as JSON"
fi
# Row-level security could hide the rows from the role that resets: not proof of empty.
rls="vidb_reset_rls_$$"
at_exit "_drop_db $db; printf '%s\\n' 'DROP ROLE IF EXISTS $rls;' | PSQL_URL=\$ADMIN_DATABASE_URL _psql >/dev/null 2>&1"
psql_val "create role $rls login password 'rls-pw'; grant select on all tables in schema public to $rls;
  alter table projects enable row level security" >/dev/null
run_vidb --url "postgresql://$rls:rls-pw@${DATABASE_URL#*@}" reset
expect_rc 4
expect_err_contains "table public.projects has row-level security that may hide rows from $rls"
psql_val "alter table projects disable row level security" >/dev/null
expect_eq "$(psql_val 'select name from projects')" precious "rows after the refusals"

# --yes always goes ahead, production or not.
NODE_ENV=production RAILS_ENV=production run_vidb reset --yes
expect_rc 0
expect_out_contains "Reset done"
expect_eq "$(psql_val 'select count(*) from projects')" 0 "rows after reset --yes"
pass
