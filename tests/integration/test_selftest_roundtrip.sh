#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# selftest --roundtrip: passes for the real sql/ folder; catches a fixture whose down
# forgets an index and a type, naming both and the down file; is skipped without the
# CREATEDB privilege; applies repeatable migrations twice and catches one that fails or
# changes the schema the second time; drops its scratch database every time, Ctrl-C included.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
F=$VIDB_FIXTURE_DIR
fresh_db

# The scratch database named in $OUT, and a check that it is gone.
scratch_name() { grep -oE 'vidb_roundtrip_[0-9a-f]{8}' <<<"$OUT" | head -n 1; }
expect_dropped() {
  _checks=$((_checks + 1))
  [[ -n $1 ]] || fail "no scratch database named in the output"
  [[ $(psql_val "select count(*) from pg_database where datname = '$1'") == 0 ]] || fail "scratch database $1 left behind"
}

# The real migrations roundtrip cleanly.
run_vidb migrate
expect_rc 0
run_vidb selftest --roundtrip
expect_rc 0
expect_check pass "roundtrip: apply all" "1 migration applied to scratch database vidb_roundtrip_"
expect_check pass "roundtrip: revert all" "the schema is back to empty"
expect_check pass "roundtrip: apply again" "same schema as the first apply"
expect_summary 18 0
expect_dropped "$(scratch_name)"
[[ $OUT != *"repeatables twice"* ]] || fail "a step for repeatables without any"

# Repeatable migrations are applied twice in the scratch database: the second application
# must leave the schema unchanged (and must not fail).
fresh_db vidbtest_selftest_roundtrip_repeatable
run "$F/vidb_repeatable" migrate
expect_rc 0
run "$F/vidb_repeatable" selftest --roundtrip
expect_rc 0
expect_check pass "roundtrip: repeatables twice" \
  "each of 2 repeatable migrations applied twice, the schema unchanged by the second"
expect_dropped "$(scratch_name)"
for bad in repeatable_not_idempotent repeatable_fails_twice; do
  fresh_db "vidbtest_selftest_roundtrip_$bad"
  run "$F/vidb_$bad" migrate
  expect_rc 0
  run "$F/vidb_$bad" selftest --roundtrip
  expect_rc 1
  expect_check pass "roundtrip: apply again" "same schema as the first apply"
  expect_dropped "$(scratch_name)"
done
expect_check fail "roundtrip: repeatables twice" \
  "plain_view.repeatable.sql fails when applied a second time: a repeatable migration must be safe to apply again"
expect_out_contains 'relation "items_plain" already exists'
run "$F/vidb_repeatable_not_idempotent" selftest --roundtrip
expect_check fail "roundtrip: repeatables twice" \
  "grows.repeatable.sql changes the schema when applied a second time"
expect_out_contains "grows.repeatable.sql added: table public.grows_"
expect_dropped "$(scratch_name)"
# Without repeatables there is no such step (the output above for sql/ has none).

# A down that forgets DROP INDEX and DROP TYPE.
fresh_db vidbtest_selftest_roundtrip_leak
run "$F/vidb_selftest_roundtrip_leak" migrate
expect_rc 0
run "$F/vidb_selftest_roundtrip_leak" selftest --roundtrip
expect_rc 1
expect_check pass "roundtrip: apply all" "2 migrations applied"
expect_check fail "roundtrip: revert all" \
  "the schema is not back to empty after reverting all; left behind: type public.item_status"
expect_out_contains "0002_item_status.down.sql left behind: index public.items_name_lower_idx, type public.item_status"
expect_check fail "roundtrip: apply again" 'type "item_status" already exists'
expect_dropped "$(scratch_name)"
# The database under test is untouched by the roundtrip.
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 2 "applied migrations"

# Without CREATEDB: skipped with the reason (the other checks say what that user lacks).
role=vidbtest_selftest_nocreatedb
psql_val "drop role if exists $role; create role $role login password 'pw-$role' nocreatedb" >/dev/null
# PostgreSQL 13 and 14 let everyone create in schema public; 15 and newer do not. The
# same starting point on every version (scripts/test-matrix.sh): 15's.
psql_val "revoke create on schema public from public" >/dev/null
at_exit "PSQL_URL=\$ADMIN_DATABASE_URL _psql -c 'drop role if exists $role' >/dev/null 2>&1"
run "$F/vidb_selftest_roundtrip_leak" --url "postgresql://$role:pw-$role@${DATABASE_URL#*@}" selftest --roundtrip
expect_rc 1
expect_check skip "roundtrip: apply all" "$role lacks the CREATEDB privilege"
expect_check skip "roundtrip: revert all" "roundtrip: apply all was skipped"
expect_check fail "migrate privileges" "$role lacks 4 privileges vidb migrate needs"
expect_out_contains "$role lacks CREATE on schema public, where migrations and vidb's history table go"
expect_check fail "history table" "permission denied"
expect_not_contains_anywhere "pw-$role"

# Ctrl-C while the scratch database runs a slow migration: the running query is
# cancelled, the report printed, the scratch database dropped, exit 130.
fresh_db vidbtest_selftest_roundtrip_sigint
"$F/vidb_selftest_slow" selftest --roundtrip >"$_tmp/sigint.out" 2>"$_tmp/sigint.err" &
pid=$!
at_exit "kill -KILL $pid 2>/dev/null || true"
scratch=""
for _ in $(seq 1 200); do
  scratch=$(psql_val "select datname from pg_stat_activity where datname like 'vidb_roundtrip_%'
                      and query like '%pg_sleep(60)%' limit 1")
  [[ -n $scratch ]] && break
  sleep 0.1
done
[[ -n $scratch ]] || fail "the slow migration never ran in a scratch database"
kill -INT "$pid"
RC=0
wait "$pid" || RC=$?
OUT=$(<"$_tmp/sigint.out") ERR=$(<"$_tmp/sigint.err") _last="vidb_selftest_slow selftest --roundtrip (SIGINT)"
expect_rc 130
expect_check fail "roundtrip: apply all" "interrupted (SIGINT)"
expect_check skip "roundtrip: apply again" "interrupted (SIGINT)"
expect_dropped "$scratch"

pass
