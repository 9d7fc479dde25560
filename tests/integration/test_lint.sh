#!/usr/bin/env bash
# ctest-labels: vidb fixtures
# vidb lint (issue 14): PATHs and the embedded set, --since, every --format, exit codes
# 0 (no error finding), 1 (an error finding) and 2 (usage).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
dir=$_tmp/m
mkdir -p "$dir"
cat >"$dir/0001_users.up.sql" <<'SQL'
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text);
CREATE INDEX users_email ON users (email);
SQL
cat >"$dir/0002_index.up.sql" <<'SQL'
-- an index on a big table
CREATE INDEX users_email_lower ON users (lower(email));
SQL
cat >"$dir/0003_style.up.sql" <<'SQL'
ALTER TABLE users ADD COLUMN nick varchar(20);
SQL
cat >"$dir/0004_concurrent.up.sql" <<'SQL'
-- vidb:no-transaction
CREATE INDEX CONCURRENTLY users_nick ON users (nick);
SQL

# Text: compiler-style lines, the totals last, exit 1 for the error finding.
run_vidb lint "$dir"
expect_rc 1
expect_out_contains "$dir/0002_index.up.sql:2:35: error: CREATE INDEX on existing table users"
expect_out_contains "[create-index-not-concurrently]"
expect_out_contains "$dir/0003_style.up.sql:1:35: warning:"
expect_out_contains "1 error, 1 warning, 0 infos in 4 files"
# The table created in 0001 is new there: no finding for its index.
[[ $OUT != *0001_users* ]] || fail "a table created in the same migration was flagged: $OUT"

# --since: only what a pull request adds. Warnings alone exit 0.
run_vidb lint --since 2 "$dir"
expect_rc 0
expect_out_contains "0 errors, 1 warning, 0 infos in 2 files"
# A single file is linted as one migration, whatever its name.
cp "$dir/0002_index.up.sql" "$_tmp/loose.sql"
run_vidb lint "$_tmp/loose.sql" "$dir/0004_concurrent.up.sql"
expect_rc 1
expect_out_contains "$_tmp/loose.sql:2:35: error:"

# JSON: an object with a findings array of {file, line, column, rule, severity, message}.
run_vidb lint --format json "$dir"
expect_rc 1
python3 - "$OUT" "$dir" <<'PY' || fail "JSON report: $OUT"
import json, sys
doc, d = json.loads(sys.argv[1]), sys.argv[2]
assert doc["ok"] is False and doc["files"] == 4 and doc["errors"] == 1 and doc["warnings"] == 1, doc
f = doc["findings"]
assert [list(x) for x in f] == [["file", "line", "column", "rule", "severity", "message"]] * 2, f
assert f[0] == {**f[0], "file": d + "/0002_index.up.sql", "line": 2, "column": 35,
                "rule": "create-index-not-concurrently", "severity": "error"}, f[0]
assert f[1]["severity"] == "warning" and f[1]["rule"] == "varchar-length", f[1]
PY
_checks=$((_checks + 1))
run_vidb --json lint "$dir"
expect_out_contains '"findings":['

# JUnit: one testcase per file, a <failure> for the file with an error finding.
run_vidb lint --format junit "$dir"
expect_rc 1
python3 - "$OUT" <<'PY' || fail "JUnit report: $OUT"
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.argv[1])
assert root.tag == "testsuites" and root.get("name") == "vidb lint", root.attrib
cases = root.find("testsuite").findall("testcase")
assert len(cases) == 4 and all(c.get("classname") == "vidb.lint" for c in cases), cases
failed = [c.get("name") for c in cases if c.find("failure") is not None]
assert len(failed) == 1 and failed[0].endswith("0002_index.up.sql"), failed
assert "create-index-not-concurrently" in cases[1].find("failure").text
PY
_checks=$((_checks + 1))

# TAP 13: a plan and a line per file.
run_vidb lint --format tap "$dir"
expect_rc 1
expect_out_contains "TAP version 13"
expect_out_contains "1..4"
expect_out_contains "not ok 2 - $dir/0002_index.up.sql"
expect_out_contains '    - "2:35: error: CREATE INDEX on existing table users'
expect_out_contains "# 3 passed, 1 failed"

# A statement the grammar does not read is an info finding, never a failure or a pass.
printf 'CREATE TABLE t (id bigint PRIMARY KEY);\nALTER TABLE t FROBNICATE;\n' >"$_tmp/new_syntax.up.sql"
run_vidb lint "$_tmp/new_syntax.up.sql"
expect_rc 0
expect_out_contains "new_syntax.up.sql:2:1: info: not checked: PostgreSQL 15's grammar does not read \`ALTER TABLE t FROBNICATE\`"

# Usage errors exit 2; a missing path exits 1 naming it.
run_vidb lint --format xml "$dir"
expect_rc 2
run_vidb lint --since abc "$dir"
expect_rc 2
run_vidb lint "$_tmp/nowhere"
expect_rc 1
expect_err_contains "nowhere: no such file or folder"

# The embedded set: a fixture whose second migration indexes an existing table.
fixture=$VIDB_FIXTURE_DIR/vidb_selftest_roundtrip_leak
run "$fixture" lint
expect_rc 1
expect_out_contains "0002_item_status.up.sql:3:38: error:"
run "$fixture" lint --since 2
expect_rc 0
expect_out_contains "in 0 files"
run_vidb lint --rules
expect_rc 0
expect_out_contains "create-index-not-concurrently"
pass
