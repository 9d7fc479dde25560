#!/usr/bin/env bash
# ctest-labels: fixtures
# Bad input of every kind: each case exits with the documented code, prints exactly one
# short "vidb: error:" line (plus indented hints), nothing on stdout, no crash output,
# no password, and leaves the database exactly as it was (fingerprint query).
# Complements test_cli_usage.sh, test_secrets.sh and test_embed.sh (bad migration files).
source "$(dirname "$0")/lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_core" # 0004_seed_accounts is irreversible
run "$V" migrate
expect_rc 0

FINGERPRINT="select (select count(*) from pg_namespace) || ' ' ||
  (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema') || ' ' ||
  (select count(*) || ' ' || max(applied_at) from vidb_schema_migrations) || ' ' ||
  (select count(*) from vidb_migration_lock) || ' ' || (select count(*) from vidb_migration_progress) || ' ' ||
  (select count(*) || ' ' || coalesce(sum(hashtext(a::text)), 0) from accounts a)"
FP=$(psql_val "$FINGERPRINT")
SECRET=$PG_PASSWORD
[[ -n $SECRET ]] || fail "harness did not export PG_PASSWORD"
HOSTPORT=${DATABASE_URL#*@}
HOSTPORT=${HOSTPORT%%/*}
cases=0

# Every case runs in an empty folder: no stray ./.env is read.
CWD=$_tmp/cwd
mkdir -p "$CWD"

# bad RC [ENV-ARGS...] -- ARGS...: vidb ARGS (through `env ENV-ARGS`) exits RC, and then
# the checks above.
bad() {
  local want=$1 envs=()
  shift
  while [[ $1 != -- ]]; do
    envs+=("$1")
    shift
  done
  shift
  cases=$((cases + 1))
  cd "$CWD"
  run env "${envs[@]}" "$V" "$@"
  cd - >/dev/null
  expect_rc "$want"
  _checks=$((_checks + 1))
  [[ $(grep -c '^vidb: error: ' <<<"$ERR") == 1 ]] || fail "expected exactly one 'vidb: error:' line"
  ! grep -Ev '^(vidb: error: |  )' <<<"$ERR" | grep -q . || fail "stderr has lines that are neither the error nor hints"
  local line
  line=$(grep '^vidb: error: ' <<<"$ERR")
  ((${#line} <= 1000 && ${#ERR} <= 2000)) || fail "error output too long: ${#line} / ${#ERR} bytes"
  if [[ " $* " == *" --json "* ]]; then
    # With --json the failure is also one JSON document on stdout (test_json_output.sh).
    [[ $(jq -r '.ok, .error.exit_code' <<<"$OUT" 2>/dev/null | tr '\n' ' ') == "false $want " ]] ||
      fail "stdout should be the --json error document, got: $OUT"
  else
    [[ -z $OUT ]] || fail "stdout should be empty"
  fi
  local crash
  for crash in "terminate called" "what():" Sanitizer "runtime error" Aborted "Segmentation fault" "core dumped"; do
    [[ $ERR != *"$crash"* ]] || fail "crash output: $crash"
  done
  expect_not_contains_anywhere "$SECRET"
  expect_not_contains_anywhere "Wr0ng"
  expect_not_contains_anywhere "S3cret"
  expect_eq "$(psql_val "$FINGERPRINT")" "$FP" "database fingerprint"
}

# --- Malformed, truncated and foreign URLs. "Wr0ng…S3cret" passwords must never show.
bad 2 -- --url "mysql://app:Wr0ngS3cret@127.0.0.1/app" ping
expect_err_contains "unsupported scheme 'mysql://'"
bad 2 -- --url "http://app:Wr0ngS3cret@localhost/app" status
bad 2 -- --url "postgresql//app:Wr0ngS3cret@localhost/app" migrate
expect_err_contains "neither a postgresql:// URL nor keyword=value pairs"
bad 2 -- --url "postgres:app:Wr0ngS3cret@localhost/app" ping
bad 2 -- --url "postgresql://app:50%Wr0ngS3cret@127.0.0.1/app" ping
expect_err_contains "invalid percent-encoded token"
bad 2 -- --url "postgresql://app:Wr0ng/S3cret@127.0.0.1/app" ping
expect_err_contains "percent-encode special characters"
bad 2 -- --url "postgresql://app:Wr0ng@S3cret@127.0.0.1/app" migrate
expect_err_contains "'@' as %40"
bad 2 -- --url "postgresql://postgres:Wr0ngS3cret@$HOSTPORT/db?foo=bar" ping
expect_err_contains 'invalid URI query parameter: "foo"'
bad 2 -- --url "postgresql://postgres:Wr0ngS3cret@$HOSTPORT/db?sslmode" status
bad 2 -- --url "host=127.0.0.1 password='Wr0ngS3cret" ping
expect_err_contains "unterminated quoted string"
bad 2 -- --url "host=127.0.0.1 hots=x password=Wr0ngS3cret" ping
expect_err_contains 'invalid connection option "hots"'
bad 3 -- --url "postgresql://postgres:Wr0ngS3cret@127.0.0.1:1" migrate
# 120 KB (Linux limits one argument to 128 KB; the 1 MB cases go through a file below).
bad 3 -- --url "postgresql://app:Wr0ngS3cret@$(head -c 120000 /dev/zero | tr '\0' h)/db" ping
expect_err_contains "bytes left out"

# --- Wrong passwords, unreachable hosts, missing databases and users.
bad 3 -- --url "postgresql://postgres:Wr0ngS3cret@$HOSTPORT/postgres" revert
expect_err_contains "password authentication failed"
bad 3 -- --url "postgresql://nosuchuser:Wr0ngS3cret@$HOSTPORT/postgres" status
bad 3 -- --url "postgresql://postgres:Wr0ngS3cret@127.0.0.1:1/db" status
expect_err_contains "Connection refused"
bad 3 -- --url "postgresql://postgres:Wr0ngS3cret@no-such-host.invalid/db" migrate
expect_err_contains "check the host name"
bad 3 -- --url "postgresql://postgres:$SECRET@$HOSTPORT/vidb_no_such_database" status
expect_err_contains 'database "vidb_no_such_database" does not exist'
bad 3 -- --url "postgresql://postgres:Wr0ngS3cret@$(printf '\xff\xfe')/db" ping

# --- Missing, garbled and huge .env files.
envdir=$_tmp/envs
mkdir -p "$envdir"
{ printf 'DATABASE_URL=postgresql://app:Wr0ngS3cret@'; head -c 1048576 /dev/zero | tr '\0' h; printf '/db\n'; } >"$envdir/big_url.env"
{ printf 'A=1\n'; head -c 1048576 /dev/zero | tr '\0' g; printf '\n'; } >"$envdir/big_line.env"
{ printf 'B="Wr0ngS3cret'; head -c 1048576 /dev/zero | tr '\0' q; printf '\n'; } >"$envdir/big_quote.env"
python3 -c 'import random, sys; random.seed(7); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(4096)))' >"$envdir/random.env"
printf 'DATABASE_URL=mysql://app:Wr0ngS3cret@db/app\n' >"$envdir/mysql.env"
printf '# ok\nexport =Wr0ngS3cret\n' >"$envdir/no_name.env"
printf 'A=1\nB=2\nPGPASSWORD="Wr0ngS3cret\n' >"$envdir/unterminated.env"
bad 3 -u DATABASE_URL -- --env-file "$envdir/big_url.env" ping
expect_err_contains "bytes left out"
bad 2 -- --env-file "$envdir/big_line.env" ping
expect_err_contains "big_line.env, line 2: expected KEY=VALUE"
bad 2 -- --env-file "$envdir/big_quote.env" ping
expect_err_contains "line 1: unterminated or malformed quoted value"
bad 2 -- --env-file "$envdir/random.env" status
bad 2 -u DATABASE_URL -- --env-file "$envdir/mysql.env" migrate
bad 2 -- --env-file "$envdir/no_name.env" ping
expect_err_contains "line 2: invalid variable name"
bad 2 -- --env-file "$envdir/unterminated.env" ping
expect_err_contains "line 3: unterminated"
bad 2 -- --env-file "$envdir" ping
expect_err_contains "cannot read env file"
bad 2 -- --env-file "$envdir/none.env" ping
cp "$envdir/unterminated.env" "$CWD/.env" # the implicit ./.env is checked the same way
bad 2 -- status
expect_err_contains "env file .env, line 3"
rm "$CWD/.env"
bad 2 -- --env-file # no value

# --- Every command with wrong arguments; unknown and duplicate flags.
bad 2 -- migrate extra
bad 2 -- status --to 3
bad 2 -- ping 5
bad 2 -- list --down
bad 2 -- show 1 2
bad 2 -- new
bad 2 -- revert 0
expect_err_contains "not in range 1 to"
bad 2 -- revert abc
bad 2 -- revert 1 --to 2
bad 2 -- redo 3
bad 2 -- repair
bad 2 -- repair 2 --resume --forget
bad 2 -- wait --timeout
bad 2 -- version extra
bad 2 -- selftest --format xml
bad 2 -- reset --yes extra
bad 2 -- migrate --to 2 --to 3
bad 2 -- status --frobnicate
bad 2 -- --frobnicate status
bad 2 -- --json show 999

# --- Versions that do not exist, --to out of range, irreversible reverts.
bad 2 -- show 999
bad 2 -- repair 999 --resume
expect_err_contains "not in this binary"
bad 2 -- repair 3 --forget
expect_err_contains "not partially applied"
bad 2 -- revert --to 999
bad 2 -- migrate --to 999
bad 2 -- migrate --to 18446744073709551616
bad 2 -- revert --to 99999999999999999999
bad 4 -- revert 2
expect_err_contains "0004_seed_accounts is irreversible"
expect_err_contains "nothing was reverted"
bad 4 -- revert --all
bad 1 -- show 4 --down
bad 4 ENVIRONMENT=production -- reset
expect_err_contains "nothing was changed"

# --- Negative numbers and bad durations, on the command line and in the environment.
bad 2 -- migrate --to -1
bad 2 -- migrate --lock-retries -5
expect_err_contains "--lock-retries"
bad 2 -- migrate --lock-timeout -1s
bad 2 -- wait --timeout -5s
bad 2 -- --wait --wait-timeout -5s ping
bad 2 VIDB_LOCK_STALE_AFTER=-2s -- migrate
bad 2 VIDB_LOCK_RETRIES=-1 -- migrate
bad 2 VIDB_LOCK_TIMEOUT=forever -- revert

# --- Arguments that are not UTF-8.
bad 2 -- show "$(printf '\xff\xfe')"
bad 2 -- migrate --to "$(printf '\xc3')"
bad 2 -- "$(printf '\xff')"
bad 2 -- --schema "$(printf 'app\xc3')" status
bad 2 VIDB_SCHEMA="$(printf '\xe2\x82')" -- migrate

# --- vidb new: empty, path-like and odd names create nothing anywhere.
mkdir -p "$CWD/sql"
before=$(find "$_tmp" | sort)
for name in "" . .. ../escape /etc/vidb_escape 'a\b' name.with.dots "$(head -c 101 /dev/zero | tr '\0' n)" \
  "$(printf 'na\xffme')" "semi;colon" "tab	name"; do
  bad 2 -- new -- "$name"
done
bad 2 -- new ok --dir "$CWD/no-such-folder"
expect_eq "$(find "$_tmp" | sort)" "$before" "vidb new created something"
[[ ! -e /etc/vidb_escape.up.sql && -z $(find /etc -maxdepth 1 -name '*vidb_escape*' -print -quit) ]] || fail "new escaped to /etc"

# A schema name that tries SQL injection is only ever an identifier.
run "$V" --schema 'x"; drop table accounts; --' migrate --dry-run
expect_rc 0
expect_eq "$(psql_val "$FINGERPRINT")" "$FP" "database fingerprint after --schema injection attempt"

((cases >= 40)) || fail "only $cases cases"
echo "$cases bad-input cases"
pass
