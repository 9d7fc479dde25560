#!/usr/bin/env bash
# ctest-labels: vidb tooling
# A dbmate or goose section is linted with the file's line numbers wherever the set comes
# from: `vidb lint DIR`, `vidb pack --lint`, `vidb lint` in the packed binary, and the
# embedder's record of each section's first line for a compiled-in set.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
dir=$_tmp/goose
mkdir -p "$dir"
printf -- '-- +goose Up\nCREATE TABLE t (id bigint PRIMARY KEY, x int);\n-- +goose Down\nDROP TABLE t;\n' \
  >"$dir/00001_t.sql"
printf -- '-- an index\n--\n-- +goose Up\nCREATE INDEX t_x ON t (x);\n-- +goose Down\nDROP INDEX t_x;\n' \
  >"$dir/00002_t_x.sql"

run_vidb lint "$dir"
expect_out_contains "00002_t_x.sql:4:"
run_vidb pack "$dir" -o "$_tmp/app"
expect_rc 0
expect_err_contains "$dir/00002_t_x.sql:4:21: warning: "
run "$_tmp/app" lint
expect_out_contains "00002_t_x.sql:4:"
expect_not_contains_anywhere "00002_t_x.sql:2:"

dbmate=$_tmp/dbmate
mkdir -p "$dbmate"
printf -- '-- migrate:up\nCREATE TABLE t (id bigint PRIMARY KEY, x int);\n' >"$dbmate/1_t.sql"
printf -- '\n\n-- migrate:up\nCREATE INDEX t_x ON t (x);\n-- migrate:down\nDROP INDEX t_x;\n' >"$dbmate/2_t_x.sql"
run_vidb pack "$dbmate" -o "$_tmp/dbmate-app"
expect_rc 0
expect_err_contains "$dbmate/2_t_x.sql:4:21: warning: "
run "$_tmp/dbmate-app" lint
expect_out_contains "2_t_x.sql:4:"

# Compiled in: the embedder records where each section starts (the entry's last field).
run "$VIDB_EMBED" "$dir" "$_tmp/out.cpp" "$_tmp/data"
expect_rc 0
expect_eq "$(grep -c '"00002_t_x.sql", .*, 3},' "$_tmp/out.cpp")" 1 "the up section of 00002 starts at line 3"
expect_eq "$(grep -c '"00002_t_x.sql", .*, 5},' "$_tmp/out.cpp")" 1 "its down section at line 5"
pass
