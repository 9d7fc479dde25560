#!/usr/bin/env bash
# ctest-labels: vidb
# No password ever appears in any output: wrong passwords, malformed URLs, unreachable
# hosts, --json, .env files, SQLAlchemy-style schemes. Exit codes: 3 unreachable, 2 usage.
source "$(dirname "$0")/lib.sh"
fresh_db
secret=$PG_PASSWORD
[[ -n $secret ]] || fail "harness did not export PG_PASSWORD"
base=${DATABASE_URL#*@} # host:port/db...
wrong="postgresql://postgres:Sup3rS3cretWr0ng@$base"

check_no_secret() {
  expect_not_contains_anywhere "$secret"
  expect_not_contains_anywhere "Sup3rS3cretWr0ng"
}

run_vidb --url "$wrong" migrate
expect_rc 3
expect_err_contains "password authentication failed"
expect_err_contains "check the user and password"
check_no_secret

run_vidb --url "postgresql://postgres:Sup3rS3cretWr0ng@127.0.0.1:1/x" ping
expect_rc 3
check_no_secret

run_vidb --url "postgresql://postgres:Sup3rS3cretWr0ng@[::1" ping
expect_rc 2
expect_err_contains "invalid database URL"
check_no_secret

run_vidb --url "postgresql://postgres:Sup3rS3cretWr0ng@localhost:99999999/x" status
expect_rc 2
check_no_secret

run_vidb --url "postgresql://postgres:Sup3rS3cretWr0ng@localhost/x?sslmode=bogus" status
[[ $RC == 2 || $RC == 3 ]] || fail "bad sslmode: exit $RC"
check_no_secret

run_vidb --url "host=127.0.0.1 port=1 password=Sup3rS3cretWr0ng dbname=x" ping
expect_rc 3
check_no_secret

# Working connections print no password either, in text or JSON.
for args in "ping" "--json ping" "status" "--json status" "migrate" "--json migrate" "version"; do
  # shellcheck disable=SC2086
  run_vidb $args
  expect_rc 0
  check_no_secret
done

# SQLAlchemy-style schemes are accepted and normalised.
run_vidb --url "${DATABASE_URL/postgresql:/postgresql+asyncpg:}" ping
expect_rc 0
run_vidb --url "${DATABASE_URL/postgresql:/postgres+psycopg2:}" ping
expect_rc 0
check_no_secret

# DATABASE_URL from .env (and --env-file); the real environment wins over .env.
dir=$(mktemp -d)
at_exit "rm -rf $dir"
printf '# local settings\nexport DATABASE_URL="%s"\n' "$DATABASE_URL" >"$dir/.env"
(cd "$dir" && env -u DATABASE_URL "$VIDB" ping) >"$_tmp/o" 2>&1 || fail ".env not read: $(cat "$_tmp/o")"
printf 'DATABASE_URL=%s\n' "$wrong" >"$dir/wrong.env"
run env -u DATABASE_URL "$VIDB" --env-file "$dir/wrong.env" ping
expect_rc 3
check_no_secret
run env DATABASE_URL="$DATABASE_URL" "$VIDB" --env-file "$dir/wrong.env" ping
expect_rc 0
run "$VIDB" --env-file "$dir/missing.env" ping
expect_rc 2
expect_err_contains "does not exist"
printf 'DATABASE_URL="unterminated\n' >"$dir/garbled.env"
run "$VIDB" --env-file "$dir/garbled.env" ping
expect_rc 2
expect_err_contains "garbled.env, line 1"

# libpq's PG* variables and ~/.pgpass work when no URL is given.
hostport=${base%%/*}
printf '%s:%s:*:postgres:%s\n' "${hostport%:*}" "${hostport##*:}" "$secret" >"$dir/pgpass"
chmod 600 "$dir/pgpass"
run env -u DATABASE_URL PGHOST="${hostport%:*}" PGPORT="${hostport##*:}" PGUSER=postgres PGDATABASE=postgres \
  PGPASSFILE="$dir/pgpass" "$VIDB" --env-file /dev/null ping
expect_rc 0
check_no_secret
pass
