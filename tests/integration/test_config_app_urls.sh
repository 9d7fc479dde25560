#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# The application's own DATABASE_URL works: asyncpg's ssl=, Prisma's schema= and pool or
# driver parameters (before: exit 2, "invalid URI query parameter"); .env files expand
# ${VAR} references as docker compose does and may start with a UTF-8 byte order mark;
# a URL password with an unencoded special character gets the percent-encoding hint on
# every path; a bad setting from the environment or .env is named by its variable.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
fresh_db
[[ $DATABASE_URL != *\?* ]] || fail "this test expects a harness URL without a query"
V="$VIDB_FIXTURE_DIR/vidb_core"

# --- Driver parameters are left out (with a note), ssl= is sslmode=.
run_vidb --url "$DATABASE_URL?ssl=disable&prepared_statement_cache_size=0&pgbouncer=true&connection_limit=5&pool_timeout=10" ping
expect_rc 0
expect_out_contains "note: left out pgbouncer="
expect_out_contains "sslmode=disable"
run_vidb --url "${DATABASE_URL/postgresql:/postgresql+asyncpg:}?ssl=false&statement_cache_size=0" --json ping
expect_rc 0
python3 -c 'import json,sys; json.loads(sys.argv[1])' "$OUT" || fail "--json ping with notes is not JSON: $OUT"
# The test server has no TLS: ssl=require must now be refused by the server, not the parser.
run_vidb --url "$DATABASE_URL?ssl=require" ping
expect_rc 3
expect_err_contains "SSL"

# --- Prisma's schema= is vidb's schema (its history table lives there).
run "$V" --url "$DATABASE_URL?schema=vidb_app&connection_limit=1" migrate
expect_rc 0
expect_eq "$(psql_val "select count(*) > 0 from vidb_app.vidb_schema_migrations")" "t" "history in schema vidb_app"
run "$V" --url "$DATABASE_URL?schema=vidb_app" status
expect_rc 0
expect_out_contains "vidb_app"

# --- .env: ${VAR} references and a byte order mark.
dir=$_tmp/project
mkdir -p "$dir"
rest=${DATABASE_URL#*://*:*@} # host:port/db
user_pass=${DATABASE_URL#*://}
user_pass=${user_pass%%@*}
# shellcheck disable=SC2016  # the ${...} are for vidb to expand
{
  printf '\xEF\xBB\xBF# saved by an editor that writes a BOM\n'
  printf 'DB_USER=%s\n' "${user_pass%%:*}"
  printf "DB_PASSWORD='%s'\n" "${user_pass#*:}"
  printf 'DATABASE_URL="postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOSTPORT:-%s}"\n' "$rest"
  printf 'VIDB_LOCK_TIMEOUT=${LOCK:-soon}\n'
} >"$dir/.env"
run bash -c 'cd "$1" && env -u DATABASE_URL "$2" ping' _ "$dir" "$VIDB"
expect_rc 0
expect_out_contains "ok PostgreSQL"
# A real environment variable wins inside references too.
run bash -c 'cd "$1" && env -u DATABASE_URL DB_HOSTPORT=127.0.0.1:1/x "$2" ping' _ "$dir" "$VIDB"
expect_rc 3

# --- A bad value is named by the variable it came from, and where that was.
run bash -c 'cd "$1" && env -u DATABASE_URL "$2" migrate' _ "$dir" "$V"
expect_rc 2
expect_err_contains "VIDB_LOCK_TIMEOUT (.env): expected a duration"
expect_not_contains_anywhere "--lock-timeout:"
run env VIDB_LOCK_WAIT_TIMEOUT=forever "$V" migrate
expect_rc 2
expect_err_contains "VIDB_LOCK_WAIT_TIMEOUT (environment)"
run env VIDB_LOCK_TIMEOUT=later "$V" migrate --lock-timeout bogus
expect_rc 2
expect_err_contains "--lock-timeout: expected a duration"

printf 'VIDB_SCHEMA=bad\xff\n' >"$dir/schema.env"
run "$V" --env-file "$dir/schema.env" status
expect_rc 2
expect_err_contains "VIDB_SCHEMA ($dir/schema.env): a schema name must be UTF-8"
expect_not_contains_anywhere "--schema"

# --- An unencoded '%' in the password: the hint, from --url and from .env alike.
run_vidb --url "postgresql://app:50%off@127.0.0.1:1/x" ping
expect_rc 2
expect_err_contains "percent-encode"
expect_not_contains_anywhere "50%off"
printf 'DATABASE_URL=postgresql://app:50%%off@127.0.0.1:1/x\n' >"$dir/pct.env"
run env -u DATABASE_URL "$VIDB" --env-file "$dir/pct.env" ping
expect_rc 2
expect_err_contains "percent-encode"
expect_err_contains "pct.env"
run_vidb --url "postgresql://app:p@127.0.0.1:99999999/x" status
expect_rc 2
expect_err_contains "percent-encode"
pass
