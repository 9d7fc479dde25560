#!/usr/bin/env bash
# ctest-labels: vidb
# A packed vidb whose payload is damaged (a flipped byte in the payload or its trailer,
# truncated, appended to, stripped, another binary's payload) refuses every command that
# needs migrations with one line, exit 1, before connecting; `vidb pack` refuses bad
# folders (the embedder's rules, same messages), bad -o and a --base that is no vidb.
source "$(dirname "$0")/lib.sh"
fresh_db
src="$VIDB_SOURCE_DIR/tests/fixtures/pack_source"
dir=$(mktemp -d)
at_exit "rm -rf $dir"
json() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$@"; }
history_absent() { expect_eq "$(psql_val "select to_regclass('vidb_schema_migrations') is null")" t "$1: history table"; }

run_vidb --json pack "$src" -o "$dir/app"
expect_rc 0
payload=$(json "$OUT" 'd["payload_bytes"]')
size=$(stat -c %s "$dir/app")
run_vidb --json pack "$VIDB_SOURCE_DIR/tests/fixtures/core" -o "$dir/other"
other_payload=$(json "$OUT" 'd["payload_bytes"]')

flip() { # FILE OFFSET: invert one byte in place
  local byte
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $((byte ^ 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
damaged() { # NAME TEXT: every command needing migrations refuses NAME, naming TEXT
  local bin="$dir/$1" cmd
  for cmd in migrate status list version selftest "revert --all" "show 1"; do
    # shellcheck disable=SC2086
    run "$bin" $cmd
    expect_rc 1
    expect_err_contains "vidb: error: this vidb is damaged: $2"
    expect_err_contains "repack it with \`vidb pack"
    [[ $(grep -c '^vidb: error:' <<<"$ERR") == 1 ]] || fail "$1 $cmd: more than one error line"
  done
  history_absent "$1"
  # Not even a connection: an unreachable URL still gives 1, not 3.
  run "$bin" --url "postgresql://nobody@127.0.0.1:1/none" migrate
  expect_rc 1
  # Commands that need no migrations still work (ping, pack from another base).
  run "$bin" ping
  expect_rc 0
}

cp "$dir/app" "$dir/payload-flip"; flip "$dir/payload-flip" $((size - 64 - payload / 2))
damaged payload-flip "its packed migrations fail their SHA-256 check"
cp "$dir/app" "$dir/digest-flip"; flip "$dir/digest-flip" $((size - 64 + 20))
damaged digest-flip "its packed migrations fail their SHA-256 check"
cp "$dir/app" "$dir/length-flip"; flip "$dir/length-flip" $((size - 64 + 3))
damaged length-flip "its payload trailer names"
cp "$dir/app" "$dir/magic-flip"; flip "$dir/magic-flip" $((size - 2))
damaged magic-flip "its packed migrations are missing"
cp "$dir/app" "$dir/version-flip"; flip "$dir/version-flip" $((size - 64 + 40))
damaged version-flip "its payload trailer has format"
head -c $((size - 1000)) "$dir/app" >"$dir/truncated"; chmod +x "$dir/truncated"
damaged truncated "its packed migrations are missing"
cp "$dir/app" "$dir/appended"; printf 'garbage' >>"$dir/appended"
damaged appended "its packed migrations are missing"
# Another packed binary's (intact) payload on this one's base.
{ head -c $((size - payload - 64)) "$dir/app"; tail -c $((other_payload + 64)) "$dir/other"; } >"$dir/foreign"
chmod +x "$dir/foreign"
damaged foreign "its packed migrations are not the ones it was packed with"
if command -v strip >/dev/null; then
  strip -o "$dir/stripped" "$dir/app"
  damaged stripped "its packed migrations are missing"
fi
# --json: the error document, still exit 1.
run "$dir/truncated" --json migrate
expect_rc 1
expect_out_contains '"ok":false'
# A damaged binary is no --base, but it packs from an intact one.
run_vidb pack "$src" -o "$dir/x" --base "$dir/truncated"
expect_rc 1
expect_err_contains "is a damaged packed vidb"
run "$dir/truncated" pack "$src" -o "$dir/repacked" --base "$VIDB"
expect_rc 0
run "$dir/repacked" list
expect_rc 0
expect_out_contains "0003_seed_widgets"

# pack's own refusals: nothing is written.
expect_no_output() { [[ ! -e $1 ]] || fail "$1 was written"; _checks=$((_checks + 1)); }
mkdir "$dir/empty"
run_vidb pack "$dir/empty" -o "$dir/out"
expect_rc 1
expect_err_contains "holds no migrations: nothing to pack"
expect_no_output "$dir/out"
# A file that looks like a migration (a version) but is none of any layout is refused; a
# .sql file without a version is skipped with a warning, as golang-migrate does.
mkdir "$dir/badname"; echo 'select 1;' >"$dir/badname/0001_a.up.sql"; echo 'select 1;' >"$dir/badname/0002_create_users.sql"
run_vidb pack "$dir/badname" -o "$dir/out"
expect_rc 1
expect_err_contains "0002_create_users.sql: not a migration file name"
expect_no_output "$dir/out"
mkdir "$dir/seeded"; echo 'select 1;' >"$dir/seeded/0001_a.up.sql"; echo 'select 1;' >"$dir/seeded/seed.sql"
run_vidb pack "$dir/seeded" -o "$dir/seeded-out"
expect_rc 0
expect_err_contains "vidb: warning: $dir/seeded/seed.sql: skipped, not a migration file name"
expect_out_contains "Packed 1 migration"
run_vidb pack "$dir/none" -o "$dir/out"
expect_rc 1
expect_err_contains "not found"
# The embedder's rules, by the same code: the same message from both.
same_as_embedder() { # FOLDER
  run "$VIDB_EMBED" "$1" "$dir/embedded.cpp"
  local embed_err=$ERR
  [[ $RC == 1 ]] || fail "embedder accepted $1"
  run_vidb pack "$1" -o "$dir/out"
  expect_rc 1
  expect_eq "$ERR" "$embed_err" "pack and the embedder on $1"
  expect_no_output "$dir/out"
}
mk() { rm -rf "$dir/m"; mkdir -p "$dir/m"; }
mk; echo 'select 1;' >"$dir/m/0001_a.up.sql"; echo 'select 1;' >"$dir/m/001_b.up.sql"; same_as_embedder "$dir/m"
mk; echo 'select 1;' >"$dir/m/0001_a.up.sql"; echo 'select 1;' >"$dir/m/0002_a.down.sql"; same_as_embedder "$dir/m"
mk; printf '\xef\xbb\xbfselect 1;\n' >"$dir/m/0001_bom.up.sql"; same_as_embedder "$dir/m"
mk; printf 'select 1;\n-- caf\xe9\n' >"$dir/m/0001_latin1.up.sql"; same_as_embedder "$dir/m"
same_as_embedder "$VIDB_SOURCE_DIR/tests/fixtures/bad_two_transactions"
same_as_embedder "$VIDB_SOURCE_DIR/tests/fixtures/bad_directive_typo"

# -o onto a folder, into a missing folder, under a file; --base that is no vidb.
mkdir "$dir/folder"
run_vidb pack "$src" -o "$dir/folder"
expect_rc 1
expect_err_contains "is a folder; -o takes the file to write"
run_vidb pack "$src" -o "$dir/missing/app"
expect_rc 1
expect_err_contains "cannot write $dir/missing/app"
run_vidb pack "$src" -o "$dir/app/inside"
expect_rc 1
expect_err_contains "cannot write"
if [[ $(id -u) != 0 ]]; then
  mkdir "$dir/readonly"; chmod 555 "$dir/readonly"
  run_vidb pack "$src" -o "$dir/readonly/app"
  expect_rc 1
  expect_err_contains "Permission denied"
fi
run_vidb pack "$src" -o /proc/vidb-pack-test
expect_rc 1
expect_err_contains "cannot write /proc/vidb-pack-test"
run_vidb pack "$src" -o "$dir/out" --base "$(command -v bash)"
expect_rc 1
expect_err_contains "is not a vidb executable"
run_vidb pack "$src" -o "$dir/out" --base "$src/0001_create_widgets.up.sql"
expect_rc 1
expect_err_contains "not an ELF executable"
run_vidb pack "$src" -o "$dir/out" --base "$dir/nonexistent"
expect_rc 1
expect_err_contains "cannot be read"
run_vidb pack "$src" -o "$dir/out" --base "$dir/folder"
expect_rc 1
expect_err_contains "is a folder, not a vidb executable"
expect_no_output "$dir/out"
run_vidb pack "$src"
expect_rc 2
expect_err_contains "--output is required"
history_absent "after every refusal"
pass
