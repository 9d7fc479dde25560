#!/usr/bin/env bash
# ctest-labels: fixtures
# What vidb does differently by server version (src/db/server_features.h), checked on
# whichever server the harness runs: scripts/test-matrix.sh runs this on 13 to 18, so
# each branch runs on a version that takes it.
#   - client_connection_check_interval = 1s during a migration from 14 on, unset on 13,
#     in a transaction and statement by statement (no-transaction);
#   - selftest names the server's version and the supported range, 13 or newer.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
fresh_db
V="$VIDB_FIXTURE_DIR/vidb_server_versions"

version_num=$(psql_val "show server_version_num")
version_text=$(psql_val "show server_version")
echo "server: PostgreSQL $version_text ($version_num)"
# In the version matrix (scripts/test-matrix.sh): the harness runs the major asked for.
[[ -z ${VIDB_MATRIX_MAJOR:-} ]] || expect_eq "$((version_num / 10000))" "$VIDB_MATRIX_MAJOR" "server major"
if ((version_num >= 140000)); then
  want_interval=1s
else
  want_interval=""  # NULL: the setting does not exist before 14
fi

run "$V" migrate
expect_rc 0
expect_out_contains "applied  0002_record_no_transaction"
expect_eq "$(psql_val "select coalesce(check_interval, '') from seen where how = 'transaction'")" "$want_interval" \
  "client_connection_check_interval in a transaction on $version_num"
expect_eq "$(psql_val "select coalesce(check_interval, '') from seen where how = 'no-transaction'")" "$want_interval" \
  "client_connection_check_interval statement by statement on $version_num"

# Revert runs on every version too (down files in a transaction).
run "$V" revert 2
expect_rc 0
expect_eq "$(psql_val "select to_regclass('seen') is null")" t "reverted"

run "$V" selftest
expect_check pass "server version" "PostgreSQL $version_text, supported: 13 or newer"
pass
