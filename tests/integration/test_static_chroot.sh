#!/usr/bin/env bash
# ctest-labels: static
# The release binary needs nothing beside it: dist/vidb alone in an empty root (only
# etc/hosts) runs migrate and selftest against the test server by host name, and speaks
# TLS (sslmode=require) to a server with a self-signed certificate. A packed copy of it
# (and one packed inside the root, which has no /proc) runs its packed set there too,
# and dist/release/vidb, which carries none, says how to pack.
source "$(dirname "$0")/lib.sh"
require_db
static="$VIDB_SOURCE_DIR/dist/vidb"
# Test the dist/vidb of these sources or nothing: an old one would pass or fail for
# code that is no longer there. scripts/build-static.sh records what it built from.
skip_static() {
  [[ ${VIDB_REQUIRE_STATIC:-0} == 1 ]] && fail "$1"
  echo "SKIP: $1"
  exit 77
}
[[ -x $static ]] || skip_static "no dist/vidb (run make static)"
[[ -f $static.sources ]] || skip_static "dist/vidb has no dist/vidb.sources, so it may be stale (run make static)"
[[ $(<"$static.sources") == "$("$VIDB_SOURCE_DIR/scripts/source-fingerprint.sh")" ]] ||
  skip_static "dist/vidb is stale: built from other sources than these (run make static)"
[[ $(id -u) == 0 ]] || { echo "SKIP: chroot needs root"; exit 77; }

run file "$static"
expect_out_contains "statically linked"
size=$(stat -c %s "$static")
((size <= 8 * 1024 * 1024)) || fail "dist/vidb is $size bytes, over 8 MiB"

root=$(mktemp -d)
at_exit "rm -rf $root"
cp "$static" "$root/vidb"
mkdir "$root/etc"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
[[ $(find "$root" -type f | wc -l) == 2 ]] || fail "the root must hold only vidb and etc/hosts"

fresh_db
url=${DATABASE_URL/@127.0.0.1:/@localhost:}
run chroot "$root" /vidb --url "$url" migrate
expect_rc 0
expect_out_contains "applied  0001_create_projects"
run chroot "$root" /vidb --url "$url" selftest
expect_rc 0
[[ $(tail -n1 <<<"$OUT") =~ ^[0-9]+\ passed,\ 0\ failed ]] || fail "selftest did not pass in the chroot"
run chroot "$root" /vidb version
expect_out_contains "statically linked"
expect_out_contains "TLS: OpenSSL"

# TLS against a server with a self-signed certificate.
ssl_dir=$(mktemp -d)
at_exit "'$VIDB_SOURCE_DIR/scripts/pg-harness.sh' stop '$ssl_dir' >/dev/null 2>&1; rm -rf '$ssl_dir'"
"$VIDB_SOURCE_DIR/scripts/pg-harness.sh" start "$ssl_dir" --ssl >/dev/null
ssl_url=$(sed -n 's/^DATABASE_URL=//p' "$ssl_dir/env")
ssl_url="${ssl_url/@127.0.0.1:/@localhost:}?sslmode=require"
run chroot "$root" /vidb --url "$ssl_url" ping
expect_rc 0
expect_out_contains ", TLS"
run chroot "$root" /vidb --url "$ssl_url" migrate
expect_rc 0
run chroot "$root" /vidb --url "${ssl_url/sslmode=require/sslmode=verify-full}" ping
expect_rc 3 # no CA certificate in the empty root: verification must fail, not pass silently

# Packed: dist/vidb as the base, and vidb pack run inside the root (no /proc there: the
# packed binary finds its own file by the name it was started with).
"$static" pack "$VIDB_SOURCE_DIR/tests/fixtures/pack_source" -o "$root/app" >/dev/null
cp -r "$VIDB_SOURCE_DIR/tests/fixtures/pack_source" "$root/src"
run chroot "$root" /vidb pack /src -o /app2
expect_rc 0
fresh_db vidbtest_static_chroot_packed
url=${DATABASE_URL/@127.0.0.1:/@localhost:}
for app in /app /app2; do
  run chroot "$root" "$app" version
  expect_out_contains "3 packed migrations, 1 checks"
done
run chroot "$root" /app --url "$url" migrate
expect_rc 0
expect_out_contains "applied  0002_index_widgets_name"
run chroot "$root" /app2 --url "$url" selftest
expect_rc 0
[[ $(tail -n1 <<<"$OUT") =~ ^[0-9]+\ passed,\ 0\ failed ]] || fail "selftest of the packed binary did not pass in the chroot"
head -c -10 "$root/app" >"$root/damaged" && chmod +x "$root/damaged"
run chroot "$root" /damaged --url "$url" status
expect_rc 1
expect_err_contains "this vidb is damaged"
if [[ -x $VIDB_SOURCE_DIR/dist/release/vidb ]]; then
  cp "$VIDB_SOURCE_DIR/dist/release/vidb" "$root/release"
  run chroot "$root" /release --url "$url" migrate
  expect_rc 0
  expect_err_contains "carries no migrations"
  run chroot "$root" /release pack /src -o /app3
  expect_rc 0
  run chroot "$root" /app3 --url "$url" status
  expect_rc 0
  expect_out_contains "3 applied, 0 pending"
fi
pass
