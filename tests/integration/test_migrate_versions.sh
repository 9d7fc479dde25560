#!/usr/bin/env bash
# ctest-labels: fixtures
# Versions the binary and the history disagree about. A version applied under another
# name and text (two branches chose the same number) is a *collision*, not drift:
# status says so, migrate refuses (exit 4, nothing changed) with "rename your file".
# An applied version this binary lacks while it carries newer ones is *missing* (a
# deleted file), not "applied by a newer build"; newer ones stay *unknown*. Versions
# are shown with the files' zero padding throughout.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
fresh_db
F=$VIDB_FIXTURE_DIR

# json EXPR: evaluate a Python expression over the JSON document in $OUT (as `d`).
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$OUT"; }

# Collision: core applied 0002_add_accounts_name; this branch's 0002 is add_accounts_plan.
run "$F/vidb_core" migrate --to 2
expect_rc 0
run "$F/vidb_collision" status
expect_rc 0
expect_out_contains "collision"
expect_out_contains "version collision: the database applied 0002_add_accounts_name, this binary's file is 0002_add_accounts_plan"
expect_out_contains "1 applied, 0 pending, 1 collision"
run "$F/vidb_collision" --json status
expect_rc 0
expect_eq "$(json "' '.join(next((m['state'], m['version_text'], m['applied_name']) for m in d['migrations'] if m['version'] == 2))")" \
  "collision 0002 add_accounts_name" "--json state"
expect_eq "$(json "d['summary']['collision']")" 1 "--json summary"
run "$F/vidb_collision" migrate
expect_rc 4
expect_err_contains "version collision: 1 applied version(s) belong to another migration"
expect_err_contains "0002 is applied as 0002_add_accounts_name, but this binary's 0002 is 0002_add_accounts_plan: rename your file to a new version (e.g. 0003_add_accounts_plan.up.sql)"
expect_eq "$(psql_val "select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'plan'")" \
  0 "the refused run changed nothing"
run "$F/vidb_collision" revert
expect_rc 4
expect_err_contains "0002_add_accounts_name is not this binary's 0002_add_accounts_plan (version collision)"
expect_eq "$(psql_val "select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'name'")" \
  1 "the refused revert changed nothing"
run "$F/vidb_collision" selftest
expect_rc 1
expect_check fail "no checksum drift" "1 version in use by another migration"
expect_out_contains "0002_add_accounts_plan: version collision: the database applied 0002_add_accounts_name"

# Missing and unknown: core applied 0001-0005; gap carries 0001 and 0003 only.
fresh_db vidbtest_versions_missing
run "$F/vidb_core" migrate
expect_rc 0
run "$F/vidb_gap" status
expect_rc 0
expect_eq "$(grep -E '^0002 ' <<<"$OUT" | awk '{print $3}')" missing "0002 is missing"
expect_eq "$(grep -E '^0004 ' <<<"$OUT" | awk '{print $3}')" unknown "0004 is unknown, padded"
expect_out_contains "was the file deleted? restore it"
expect_out_contains "2 applied, 0 pending, 1 missing, 2 unknown"
run "$F/vidb_gap" --json status
expect_eq "$(json "','.join(m['version_text'] + ':' + m['state'] for m in d['migrations'])")" \
  "0001:applied,0002:missing,0003:applied,0004:unknown,0005:unknown" "--json states"
run "$F/vidb_gap" migrate
expect_rc 0
expect_err_contains "whose files this binary lacks (0002)"
expect_err_contains "does not carry (0004, 0005): a newer build applied them"
run "$F/vidb_gap" revert --all
expect_rc 4
expect_err_contains "0002_add_accounts_name is missing from this binary"
expect_err_contains "0005_empty is not known to this binary (applied by a newer build)"
run "$F/vidb_gap" selftest
expect_rc 1
expect_check fail "no unknown versions" "3 applied migrations this binary does not carry"
expect_out_contains "0002_add_accounts_name applied"
expect_out_contains "missing here although this binary carries newer migrations (was its file deleted? restore it)"
expect_out_contains "0004_seed_accounts applied"
pass
