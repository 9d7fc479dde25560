#!/usr/bin/env bash
# ctest-labels: vidb
# Passwords are masked where they stand in a connection string, not wherever their text
# appears: user, password and database all "vidbtest_same" still show the user and the
# database by name (ping, status, --json, a failed connect), and a password equal to a
# word of a selftest check name ("history") leaves the JUnit and JSON reports intact.
# The password itself, in its place (":password@"), still never appears.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
same=vidbtest_same
hist=vidbtest_hist_role
# shellcheck disable=SC2016  # expanded at exit, after the database is dropped
at_exit 'printf "DROP ROLE IF EXISTS %s;\nDROP ROLE IF EXISTS %s;\n" "$same" "$hist" | PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null 2>&1'
fresh_db "$same"
printf "SET client_min_messages = warning;\nDROP ROLE IF EXISTS %s;\nCREATE ROLE %s LOGIN PASSWORD '%s';\nALTER DATABASE %s OWNER TO %s;\n" \
  "$same" "$same" "$same" "$same" "$same" | PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null ||
  fail "cannot create role $same"
hostport=${DATABASE_URL#*@}
hostport=${hostport%%/*}
url="postgresql://$same:$same@$hostport/$same"

no_password_in_place() {
  expect_not_contains_anywhere ":$same@"
  expect_not_contains_anywhere "password=$same"
}

run_vidb --url "$url" ping
expect_rc 0
expect_out_contains "database $same, user $same"
expect_not_contains_anywhere "***"
no_password_in_place

run_vidb --url "$url" --json ping
expect_rc 0
expect_out_contains "\"database\":\"$same\""
expect_out_contains "\"user\":\"$same\""
no_password_in_place

run_vidb --url "$url" migrate
expect_rc 0
run_vidb --url "$url" status
expect_rc 0
expect_not_contains_anywhere "***"
no_password_in_place

# A failed connect names the user and the database, and still hides the password.
run_vidb --url "postgresql://$same:$same@$hostport/${same}_missing" ping
expect_rc 3
expect_err_contains "${same}_missing"
expect_err_contains "create the database"
no_password_in_place
run_vidb --url "postgresql://$same:wrong$same@$hostport/$same" ping
expect_rc 3
expect_err_contains "$same@"
expect_err_contains "check the user and password"
expect_not_contains_anywhere "wrong$same"
run_vidb --url "host=${hostport%:*} port=${hostport##*:} user=$same password=$same dbname=$same" --json ping
expect_rc 0
expect_out_contains "\"database\":\"$same\""
no_password_in_place

# --- A password that is a word of a check name.
printf "SET client_min_messages = warning;\nDROP ROLE IF EXISTS %s;\nCREATE ROLE %s LOGIN PASSWORD 'history';\nGRANT %s TO %s;\n" \
  "$hist" "$hist" "$same" "$hist" | PSQL_URL=$ADMIN_DATABASE_URL _psql >/dev/null ||
  fail "cannot create role $hist"
hist_url="postgresql://$hist:history@$hostport/$same"
run_vidb --url "$hist_url" selftest --format junit
_checks=$((_checks + 1))
printf '%s' "$OUT" | python3 -c '
import sys, xml.etree.ElementTree as ET
names = [case.get("name") for case in ET.parse(sys.stdin).iter("testcase")]
sys.exit(0 if "history table" in names else "no testcase named history table: %r" % names)
' || fail "JUnit report: $OUT"
expect_not_contains_anywhere ":history@"
run_vidb --url "$hist_url" --json selftest
_checks=$((_checks + 1))
printf '%s' "$OUT" | python3 -c '
import json, sys
text = sys.stdin.read()
json.loads(text)
sys.exit(0 if "\"history table\"" in text else "no check named history table")
' || fail "JSON report: $OUT"
pass
