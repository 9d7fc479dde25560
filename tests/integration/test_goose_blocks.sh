#!/usr/bin/env bash
# ctest-labels: vidb tooling
# A `-- +goose NO TRANSACTION` file runs in goose's statements: a StatementBegin/End block
# is one statement (one simple-query message, so PostgreSQL runs it all or nothing, as
# goose's one Exec does), however many statements it holds. A block whose second
# statement fails leaves nothing behind; the journal and `status` count blocks; `repair
# --resume` skips whole blocks; a block with a function body holding ';' runs whole; the
# --dry-run --sql script wraps a block in a transaction; a journal row that counted the
# file differently is not resumed. The same file packed (vidb pack)
# and compiled in (vidb_embed) is read the same way.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
fresh_db
dir=$(mktemp -d)
at_exit "rm -rf $dir"
mkdir "$dir/m"
cat >"$dir/m/00001_blocks.sql" <<'SQL'
-- +goose NO TRANSACTION
-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION goose_one() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    RETURN 1;
END;
$$;
-- +goose StatementEnd
CREATE TABLE goose_a (id int);
-- +goose StatementBegin
CREATE TABLE goose_b (id int);
INSERT INTO goose_b SELECT 1 / count(*)::int FROM goose_gate;
-- +goose StatementEnd

-- +goose Down
DROP TABLE goose_b;
DROP TABLE goose_a;
DROP FUNCTION goose_one();
SQL
app=$dir/app
run_vidb pack "$dir/m" -o "$app"
expect_rc 0
psql_val "create table goose_gate (x int)" >/dev/null

# The third statement (the second block) fails on its INSERT: its CREATE TABLE went with it.
run "$app" migrate
expect_rc 1
expect_err_contains "statement 3 of 3"
expect_eq "$(psql_val "select to_regclass('goose_b') is null")" t "the failed block left nothing behind"
expect_eq "$(psql_val "select to_regclass('goose_a') is not null and goose_one() = 1")" t \
  "the statements before it stay applied, the function body with ';' came through whole"
expect_eq "$(psql_val "select statements_done || '/' || statements_total from vidb_migration_progress")" 2/3 \
  "the journal counts blocks"
run "$app" status
expect_out_contains "2 of 3"

# A journal row counted by another cut of the same file (an older vidb split the blocks:
# 4 statements) is not resumed: its statement 3 is not this one's.
psql_val "update vidb_migration_progress set statements_total = 4" >/dev/null
run "$app" repair 1 --resume
expect_rc 4
expect_err_contains "the run that stopped counted 4 statements in 00001_blocks.sql, this vidb counts 3"
psql_val "update vidb_migration_progress set statements_total = 3" >/dev/null

# Resume: only the block runs again (goose_a would fail with 'already exists').
psql_val "insert into goose_gate values (1)" >/dev/null
run "$app" repair 1 --resume
expect_rc 0
expect_eq "$(psql_val "select count(*) from goose_b")" 1 "the block ran whole on resume"
expect_eq "$(psql_val "select count(*) from vidb_schema_migrations")" 1 "applied"
expect_eq "$(psql_val "select count(*) from vidb_migration_progress")" 0 "journal row gone"
run "$app" revert --all
expect_rc 0
expect_eq "$(psql_val "select to_regclass('goose_a') is null and to_regclass('goose_b') is null")" t "reverted"

# The psql script of --dry-run --sql keeps a block all or nothing too (psql would send
# its statements one by one): the same failure leaves no goose_b.
psql_val "delete from goose_gate" >/dev/null
run "$app" migrate --dry-run --sql
expect_rc 0
printf '%s\n' "$OUT" >"$dir/script.sql"
_psql -f "$dir/script.sql" >/dev/null 2>"$dir/psql.err" && fail "the script should fail on the division by zero"
grep -q "division by zero" "$dir/psql.err" || fail "psql: $(cat "$dir/psql.err")"
expect_eq "$(psql_val "select to_regclass('goose_b') is null and to_regclass('goose_a') is not null")" t \
  "the script's failed block left nothing behind"

# Compiled in: the embedder marks the goose sections so the Catalog splits them the same way.
run "$VIDB_EMBED" "$dir/m" "$dir/out.cpp" "$dir/data"
expect_rc 0
expect_eq "$(grep -c 'EmbeddedKind::.*, true, true, [0-9]*},' "$dir/out.cpp")" 2 "both sections marked as goose's"
pass
