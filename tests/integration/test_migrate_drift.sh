#!/usr/bin/env bash
# ctest-labels: fixtures
# Drift: an applied migration whose embedded text changed is shown by status and stops
# migrate, revert and redo, naming the version and both checksums; revert --allow-drift
# and repair --accept-checksum are the deliberate ways past it. Unknown applied versions (a newer
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

# Reverting a drifted migration would run this build's down against what the old file
# built: refused by name with both checksums, unless --allow-drift.
run "$F/vidb_drift_v2" revert
expect_rc 4
expect_err_contains "cannot revert 0001_create_accounts changed since it was applied (applied $old, embedded $new)"
expect_err_contains "--allow-drift"
run "$F/vidb_drift_v2" redo
expect_rc 4
expect_err_contains "0001_create_accounts changed since it was applied"
run "$F/vidb_drift_v2" revert --dry-run
expect_rc 4
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "refused revert changed nothing"
expect_eq "$(psql_val "select to_regclass('accounts') is not null")" t "refused revert changed nothing"

# A deliberate edit: repair --accept-checksum records the new checksum, printing both.
full_old=$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/core/0001_create_accounts.up.sql" | cut -d' ' -f1)
full_new=$(sha256sum "$VIDB_SOURCE_DIR/tests/fixtures/drift_v2/0001_create_accounts.up.sql" | cut -d' ' -f1)
run "$F/vidb_drift_v2" repair 1 --accept-checksum
expect_rc 0
expect_out_contains "was $full_old"
expect_out_contains "now $full_new"
expect_eq "$(psql_val "select checksum from vidb_schema_migrations where version = 1")" "$full_new"
run "$F/vidb_drift_v2" status
expect_out_contains "1 applied, 0 pending"
run "$F/vidb_drift_v2" repair 1 --accept-checksum
expect_rc 2
expect_err_contains "is applied, not drifted"
run "$F/vidb_drift_v2" repair 7 --accept-checksum
expect_rc 2
# Now the core build is the drifted one; --allow-drift reverts with its down.
run "$F/vidb_core" revert --allow-drift
expect_rc 0
expect_eq "$(psql_val "select to_regclass('accounts') is null")" t "reverted with --allow-drift"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 0

# Unknown: the database is ahead of this binary.
fresh_db vidbtest_drift_unknown
run "$F/vidb_core" migrate
expect_rc 0
run "$F/vidb_gap" status
expect_out_contains "unknown"
run "$F/vidb_gap" migrate
expect_rc 0
expect_err_contains "whose files this binary lacks (0002)"
expect_err_contains "does not carry (0004, 0005)"
run "$F/vidb_gap" revert --all
expect_rc 4
expect_err_contains "not known to this binary"

# Out of order: 0003 applied, then a build that also has 0002.
fresh_db vidbtest_drift_order
run "$F/vidb_gap" migrate
expect_rc 0
run "$F/vidb_core" migrate
expect_rc 4
expect_err_contains "0002_add_accounts_name is older than the newest applied version 0003"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "refused run changed nothing"
run "$F/vidb_core" migrate --allow-out-of-order
expect_rc 0
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 5
pass
