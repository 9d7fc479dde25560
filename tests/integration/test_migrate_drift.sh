#!/usr/bin/env bash
# ctest-labels: fixtures
# Drift: an applied migration whose embedded text changed is shown by status and stops
# migrate, naming the version and both checksums. Unknown applied versions (a newer
# build) are reported and left alone. Out-of-order pending migrations are refused
# unless --allow-out-of-order.
source "$(dirname "$0")/lib.sh"
fresh_db
F=$VIDB_FIXTURE_DIR

run "$F/vidb_core" migrate --to 1
expect_rc 0
run "$F/vidb_drift_v2" status
expect_rc 0
expect_out_contains "drifted"
old=$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/core/0001_create_accounts.up.sql" | cut -c1-12)
new=$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/drift_v2/0001_create_accounts.up.sql" | cut -c1-12)
run "$F/vidb_drift_v2" migrate
expect_rc 4
expect_err_contains "checksum drift"
expect_err_contains "0001_create_accounts: applied $old, embedded $new"

# Unknown: the database is ahead of this binary.
fresh_db vidbtest_drift_unknown
run "$F/vidb_core" migrate
expect_rc 0
run "$F/vidb_gap" status
expect_out_contains "unknown"
run "$F/vidb_gap" migrate
expect_rc 0
expect_err_contains "does not carry (2, 4, 5)"
run "$F/vidb_gap" revert --all
expect_rc 4
expect_err_contains "not known to this binary"

# Out of order: 0003 applied, then a build that also has 0002.
fresh_db vidbtest_drift_order
run "$F/vidb_gap" migrate
expect_rc 0
run "$F/vidb_core" migrate
expect_rc 4
expect_err_contains "0002_add_accounts_name is older than the newest applied version 3"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "refused run changed nothing"
run "$F/vidb_core" migrate --allow-out-of-order
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 5
pass
