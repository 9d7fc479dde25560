#!/usr/bin/env bash
# ctest-labels: vidb
# vidb lint --trace (issue 14, item 6) on a real server: an index build is reported as
# taking SHARE on the table, a column type change as a rewrite (relfilenode), a cheap
# ADD COLUMN as neither; a failing migration stops the trace with a finding; the scratch
# database is dropped every time.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
fresh_db
dir=$_tmp/m
mkdir -p "$dir"
cat >"$dir/0001_users.up.sql" <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, email text, n int);
INSERT INTO users SELECT g, g::text, g FROM generate_series(1, 100) g;
SQL
cat >"$dir/0002_hazards.up.sql" <<'SQL'
CREATE INDEX users_email ON users (email);
ALTER TABLE users ADD COLUMN note text;
ALTER TABLE users ALTER COLUMN n TYPE bigint;
SQL
scratch_count() { psql_val "SELECT count(*) FROM pg_database WHERE datname LIKE 'vidb\\_lint\\_%'"; }

run_vidb lint --trace --since 1 "$dir"
expect_rc 1
expect_out_contains "$dir/0002_hazards.up.sql:1:1: info: took SHARE on table public.users [trace-lock]"
# ADD COLUMN takes ACCESS EXCLUSIVE (briefly): reported once, at the first statement taking it.
expect_out_contains "$dir/0002_hazards.up.sql:2:1: info: took ACCESS EXCLUSIVE on table public.users [trace-lock]"
expect_out_contains "$dir/0002_hazards.up.sql:3:1: warning: rewrote table public.users"
[[ $OUT != *"0002_hazards.up.sql:2:1: warning: rewrote"* ]] || fail "ADD COLUMN without default reported as a rewrite: $OUT"
[[ $OUT != *0001_users* ]] || fail "--since 1 traced 0001: $OUT"
expect_eq "$(scratch_count)" 0 "scratch databases left"
# Rolled back: the database under test was never touched.
expect_eq "$(psql_val "SELECT count(*) FROM pg_tables WHERE tablename = 'users'")" 0 "tables in the target database"

# JSON carries the trace findings like any other.
run_vidb lint --trace --since 1 --format json "$dir"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert any(f["rule"]=="trace-rewrite" for f in d["findings"]), d' "$OUT" ||
  fail "no trace-rewrite in JSON: $OUT"
_checks=$((_checks + 1))

# A migration that fails stops the trace, says so, and still drops the scratch database.
printf 'ALTER TABLE missing ADD COLUMN x int;\n' >"$dir/0003_broken.up.sql"
run_vidb lint --trace --since 2 "$dir"
expect_out_contains "$dir/0003_broken.up.sql:1:1: warning: failed in the scratch database, the trace stops here"
expect_eq "$(scratch_count)" 0 "scratch databases left after a failure"
pass
