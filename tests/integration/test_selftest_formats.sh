#!/usr/bin/env bash
# ctest-labels: vidb
# selftest --format junit|tap|json: the JUnit XML parses and has one <testcase> per check
# of the text report (with <failure>/<skipped> where due); TAP is version 13 with a plan
# and a line per check; JSON parses; --json implies --format json; a bad --format is a
# usage error (exit 2).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=selftest_lib.sh
source "$(dirname "$0")/selftest_lib.sh"
fresh_db

# The check names of a text report, one per line.
text_names() {
  local line
  while IFS= read -r line; do
    case $line in
      "✓ "* | "✗ "* | "○ "*) line=${line#* }; printf '%s\n' "${line%%  *}" ;;
    esac
  done <<<"$OUT"
}

# check_junit TEXT_NAMES FAILURES SKIPPED: parse $OUT as JUnit XML and compare.
check_junit() {
  _checks=$((_checks + 1))
  printf '%s' "$OUT" >"$_tmp/report.xml"
  python3 "$_tmp/check_junit.py" "$1" "$2" "$3" <"$_tmp/report.xml" || fail "JUnit report does not match: $OUT"
}
cat >"$_tmp/check_junit.py" <<'PY'
import sys, xml.etree.ElementTree as ET
names, failures, skipped = sys.argv[1].splitlines(), int(sys.argv[2]), int(sys.argv[3])
root = ET.fromstring(sys.stdin.read())
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 1, suites
cases = suites[0].findall("testcase")
assert [c.get("name") for c in cases] == names, ([c.get("name") for c in cases], names)
assert all(float(c.get("time")) >= 0 and c.get("classname", "").startswith("vidb.selftest") for c in cases)
got_failures = [c for c in cases if c.find("failure") is not None]
got_skipped = [c for c in cases if c.find("skipped") is not None]
assert len(got_failures) == failures == int(suites[0].get("failures")) == int(root.get("failures")), len(got_failures)
assert len(got_skipped) == skipped == int(suites[0].get("skipped")), len(got_skipped)
assert int(root.get("tests")) == len(names)
for c in got_failures:
    assert c.find("failure").get("message"), c.get("name")
PY

# Not migrated yet: failures and skips in every format.
run_vidb selftest
expect_rc 1
names=$(text_names)
[[ $(wc -l <<<"$names") == 15 ]] || fail "expected 15 checks in the text report: $names"
run_vidb selftest --format junit
expect_rc 1
expect_out_contains '<?xml version="1.0" encoding="UTF-8"?>'
check_junit "$names" 7 3
# The failure text is escaped: the server quotes names as "projects".
expect_out_contains 'relation &quot;projects&quot; does not exist'

run_vidb selftest --format tap
expect_rc 1
expect_eq "$(sed -n 1p <<<"$OUT")" "TAP version 13" "TAP first line"
expect_eq "$(sed -n 2p <<<"$OUT")" "1..15" "TAP plan"
expect_eq "$(grep -cE '^(ok|not ok) [0-9]+ - ' <<<"$OUT")" 15 "TAP test lines"
expect_eq "$(grep -cE '^not ok [0-9]+ - ' <<<"$OUT")" 7 "TAP failures"
expect_eq "$(grep -cE '^ok [0-9]+ - .* # SKIP ' <<<"$OUT")" 3 "TAP skips"
expect_out_contains $'not ok 5 - history table\n  ---\n'
expect_out_contains "ok 8 - no checksum drift # SKIP no history table"

# Migrated: everything passes.
run_vidb migrate
expect_rc 0
run_vidb selftest
expect_rc 0
names=$(text_names)
run_vidb selftest --format junit
expect_rc 0
check_junit "$names" 0 0
run_vidb selftest --format tap
expect_rc 0
expect_eq "$(grep -cE '^ok [0-9]+ - ' <<<"$OUT")" 15 "TAP passes"
expect_eq "$(grep -c 'not ok' <<<"$OUT" || true)" 0 "TAP failures"
expect_eq "$(tail -n 1 <<<"$OUT")" "# 15 passed, 0 failed" "TAP last line"

for args in "--format json" "--json"; do
  # shellcheck disable=SC2086  # two words on purpose
  run_vidb selftest $args
  expect_rc 0
  run python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
assert r["ok"] is True and r["passed"] == 15 and r["failed"] == 0 and len(r["checks"]) == 15, r
assert r["checks"][0]["name"] == "connect" and r["checks"][0]["status"] == "pass"' <<<"$OUT"
  expect_rc 0
done

run_vidb selftest --format xml
expect_rc 2
expect_err_contains "--format"

pass
