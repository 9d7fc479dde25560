#!/usr/bin/env bash
# build-static.sh [--fixtures] [extra cmake -D options...]
#
# The one way to build the shipped binary: used by `make static`, CI and the
# Dockerfile. Produces dist/vidb: fully static, stripped, x86_64, <= 8 MiB, and
# dist/vidb.sources (scripts/source-fingerprint.sh of what it was built from).
# --fixtures also builds the test fixtures in this configuration
# (build-static/fixtures/vidb_<name>), so that scripts/test.sh can run the
# integration tests against the release build: `ctest --test-dir build-static`.
#
#   1. scripts/install-deps.sh <static-build packages>   (if that script exists)
#   2. scripts/build-libpq-static.sh build/libpq-static  (cached by its .stamp)
#   3. cmake -S . -B build-static -DCMAKE_BUILD_TYPE=MinSizeRel -DVIDB_STATIC=ON
#            -DVIDB_BUILD_TESTS=ON -DVIDB_UNIT_TESTS=OFF [extra options]
#      cmake --build build-static -j$(nproc) --target vidb [fixtures]
#      (with ccache as compiler launcher when it is installed)
#   4. copy to dist/vidb, check `file` says "statically linked" and "stripped",
#      check the size, and run `dist/vidb --version`.
#   5. the same for dist/release/vidb: vidb carrying no migrations, the generic binary
#      teams download and `vidb pack` their own folders into (make release).
#
# Extra arguments go to the cmake configure step, e.g.
#   scripts/build-static.sh -DVIDB_MIGRATIONS_DIR=/path/to/migrations
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

BUILD_DIR=build-static
LIBPQ_PREFIX="$REPO_ROOT/build/libpq-static"
MAX_BYTES=$((8 * 1024 * 1024))
JOBS="$(nproc 2>/dev/null || echo 2)"
FIXTURES=0
if [[ ${1:-} == --fixtures ]]; then
    FIXTURES=1
    shift
fi
LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
    LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

say() { printf '[static] %s\n' "$*"; }
die() { printf '[static] FAILED: %s\n' "$*" >&2; exit 1; }

# Packages the static build needs beyond the normal ones (static libssl/libcrypto
# ship in libssl-dev; fmt header-only in libfmt-dev; dpkg-dev for dpkg-source;
# bzip2/xz-utils to unpack PostgreSQL's source; file for the check below;
# ca-certificates for the Docker image).
STATIC_PKGS=(g++ make cmake libssl-dev libfmt-dev dpkg-dev perl bzip2 xz-utils file ca-certificates)

# 1. dependencies
if [[ -x scripts/install-deps.sh || -f scripts/install-deps.sh ]]; then
    say "installing dependencies (scripts/install-deps.sh ${STATIC_PKGS[*]})"
    bash scripts/install-deps.sh "${STATIC_PKGS[@]}" || die "scripts/install-deps.sh failed"
else
    missing=()
    for p in "${STATIC_PKGS[@]}"; do
        dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "installing missing packages: ${missing[*]}"
        SUDO=(); [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || true
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
            || die "apt-get install ${missing[*]} failed"
    fi
fi

# 2. static libpq
bash scripts/build-libpq-static.sh "$LIBPQ_PREFIX" || die "static libpq build failed"

# 3. vidb
say "configuring $BUILD_DIR (Release, VIDB_STATIC=ON)"
# Tests are registered (no unit tests: no GoogleTest needed) so that the fixtures
# can be built on demand; switching --fixtures on and off never reconfigures.
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=MinSizeRel -DVIDB_STATIC=ON -DVIDB_BUILD_TESTS=ON \
      -DVIDB_UNIT_TESTS=OFF "${LAUNCHER[@]}" -DVIDB_LIBPQ_ROOT="$LIBPQ_PREFIX" "$@" || die "cmake configure failed"
TARGETS=(vidb vidb_release)
((FIXTURES)) && TARGETS+=(fixtures)
say "building ${TARGETS[*]} (-j$JOBS)"
cmake --build "$BUILD_DIR" -j"$JOBS" --target "${TARGETS[@]}" || die "cmake build failed"

# Where did it land? ($BUILD_DIR/vidb unless the project sets an output directory.)
BIN="$BUILD_DIR/vidb"
if [[ ! -f "$BIN" ]]; then
    BIN=$(find "$BUILD_DIR" -type f -name vidb -perm -u+x -newer "$BUILD_DIR/CMakeCache.txt" 2>/dev/null | head -n1)
    [[ -n "$BIN" ]] || BIN=$(find "$BUILD_DIR" -type f -name vidb -perm -u+x | head -n1)
    [[ -n "$BIN" && -f "$BIN" ]] || die "built vidb not found under $BUILD_DIR"
fi

# 4. dist/vidb and 5. dist/release/vidb, with their checks
# install_checked BUILT DEST: copy, then static, stripped, <= 8 MiB, --version runs.
install_checked() {
    local built=$1 dest=$2
    mkdir -p "$(dirname "$dest")"
    cp -f "$built" "$dest.tmp" && chmod 755 "$dest.tmp" && mv -f "$dest.tmp" "$dest"
    command -v file >/dev/null 2>&1 || die "'file' is not installed (apt-get install file)"
    local info size version_out
    info=$(file -b "$dest")
    say "$dest: $info"
    [[ "$info" == *"statically linked"* ]] || die "$dest is not statically linked"
    [[ "$info" == *"not stripped"* || "$info" != *"stripped"* ]] && die "$dest is not stripped"
    size=$(stat -c %s "$dest")
    say "size: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }') MiB; limit 8 MiB)"
    (( size <= MAX_BYTES )) || die "$dest is $size bytes, over the 8 MiB limit ($MAX_BYTES)"
    if [[ "$(uname -m)" == x86_64 ]]; then
        version_out=$("$dest" --version 2>&1) || die "$dest --version failed: $version_out"
        say "$dest --version: $(head -n1 <<<"$version_out")"
    fi
}
mkdir -p dist
rm -f dist/vidb.sources
install_checked "$BIN" dist/vidb
install_checked "$(dirname "$BIN")/vidb_release" dist/release/vidb
(cd dist/release && sha256sum vidb >vidb.sha256)
# Written last: only a dist/vidb that passed every check above counts as current.
bash scripts/source-fingerprint.sh "$@" >dist/vidb.sources
say "ok: dist/vidb"
