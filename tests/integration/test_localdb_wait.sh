#!/usr/bin/env bash
# ctest-labels: vidb
# vidb wait --timeout against nothing exits 5; the global --wait rides out a server that
# comes up a few seconds later (a CI job whose database starts in parallel).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=localdb_lib.sh
source "$(dirname "$0")/localdb_lib.sh"
require_server_binaries
enter_project

port=$(free_port)
write_env "postgresql://app:wait-secret-42@127.0.0.1:$port/app"

start=$SECONDS
run_vidb wait --timeout 2s
expect_rc 5
expect_err_contains "cannot connect to app@127.0.0.1:$port/app"
expect_err_contains "gave up after waiting 2s"
expect_not_contains_anywhere "wait-secret-42"
((SECONDS - start < 15)) || fail "wait --timeout 2s took $((SECONDS - start)) s"

# Without --wait, a missing server fails at once with exit 3.
run_vidb ping
expect_rc 3

# The server starts 3 s from now, in the background.
(sleep 3 && "$VIDB" up >"$_tmp/up.log" 2>&1) &
starter=$!
at_exit "kill $starter 2>/dev/null || true"

run_vidb --wait --wait-timeout 120s migrate
expect_rc 0
expect_out_contains "Applied "
wait "$starter" || fail "the delayed vidb up failed: $(cat "$_tmp/up.log")"

run_vidb --wait ping
expect_rc 0
expect_out_contains "database app, user app"

run_vidb wait --timeout 10s
expect_rc 0
pass
