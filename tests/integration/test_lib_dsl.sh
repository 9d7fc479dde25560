#!/usr/bin/env bash
# ctest-labels: tooling
# The shell DSL itself: pass() after no check fails the test (a test that checks
# nothing proves nothing), pass() after a check passes, and fail() names the line.
# Needs neither vidb nor a database.
source "$(dirname "$0")/lib.sh"
lib="$(dirname "$0")/lib.sh"
mini="$_tmp/mini"
mkdir -p "$mini"

printf '#!/usr/bin/env bash\nsource %q\ntrue\npass\n' "$lib" >"$mini/test_nothing.sh"
run bash "$mini/test_nothing.sh"
expect_rc 1
expect_err_contains "FAIL test_nothing:4: pass without a single check"
expect_not_contains_anywhere "PASS"

printf '#!/usr/bin/env bash\nsource %q\nrun true\nexpect_rc 0\npass\n' "$lib" >"$mini/test_one.sh"
run bash "$mini/test_one.sh"
expect_rc 0
expect_out_contains "PASS test_one (1 checks)"

printf '#!/usr/bin/env bash\nsource %q\nrun false\nexpect_rc 0\npass\n' "$lib" >"$mini/test_wrong.sh"
run bash "$mini/test_wrong.sh"
expect_rc 1
expect_err_contains "FAIL test_wrong:4: expected exit code 0, got 1"
pass
