#!/usr/bin/env bash
# build-libpq-static.sh [PREFIX]
#
# Builds a static libpq (no GSSAPI, no LDAP, OpenSSL enabled) from PostgreSQL's
# own source and installs it into PREFIX (default: <repo>/build/libpq-static):
#
#   PREFIX/include/{libpq-fe.h,postgres_ext.h,pg_config*.h,libpq/libpq-fs.h}
#   PREFIX/lib/{libpq.a,libpgcommon.a,libpgport.a,libpgcommon_shlib.a,libpgport_shlib.a}
#   PREFIX/.stamp          (cache key; a rerun with the same source does nothing)
#
# Source, in order of preference:
#   LIBPQ_SOURCE=/path/to/postgresql-X.Y.tar.{bz2,gz,xz}   a release tarball
#   otherwise Debian's source package of the installed libpq-dev (postgresql-15
#   on Debian 12), fetched with `apt-get source` after enabling deb-src entries
#   derived from the machine's own apt sources.
#
# Environment:
#   LIBPQ_SOURCE   release tarball to build instead of the Debian source package
#   LIBPQ_WORKDIR  where sources are fetched and built (default <repo>/build/libpq-work)
#   LIBPQ_FORCE=1  rebuild even if PREFIX/.stamp matches
#   JOBS           parallel make jobs (default: nproc)
#
# Prints one line per stage; the full log goes to PREFIX/../libpq-build.log.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

PREFIX="${1:-$REPO_ROOT/build/libpq-static}"
mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
LOG="$(dirname "$PREFIX")/libpq-build.log"
WORKDIR="${LIBPQ_WORKDIR:-$REPO_ROOT/build/libpq-work}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
STAMP="$PREFIX/.stamp"
DEB_SRC_BASENAME="vidb-deb-src"

START_TS=$(date +%s)
stage() { printf '[libpq] %s\n' "$*"; printf '\n===== [%s] %s\n' "$(date '+%F %T')" "$*" >>"$LOG"; }
fail() {
    printf '[libpq] FAILED: %s\n' "$*" >&2
    if [[ -s "$LOG" ]]; then
        printf '[libpq] last 40 lines of %s:\n' "$LOG" >&2
        tail -n 40 "$LOG" >&2
    fi
    exit 1
}
# run CMD... : append its output to the log, fail (with tail) if it fails.
run() {
    printf '+ %s\n' "$*" >>"$LOG"
    "$@" >>"$LOG" 2>&1 || fail "command failed: $*"
}
# run_in DIR CMD... : same, with DIR as the working directory.
run_in() {
    local dir=$1; shift
    printf '+ (cd %s && %s)\n' "$dir" "$*" >>"$LOG"
    (cd "$dir" && "$@") >>"$LOG" 2>&1 || fail "command failed in $dir: $*"
}
trap 'fail "unexpected error at line $LINENO"' ERR

# Root for the apt steps only.
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi
fi
apt_run() { run "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive "$@"; }

APT_UPDATED=0
apt_update() {
    if [[ $APT_UPDATED -eq 0 ]]; then
        # A broken third-party source must not stop us; apt-get source fails
        # later with a clear message if the Debian index is really missing.
        printf '+ apt-get update\n' >>"$LOG"
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >>"$LOG" 2>&1 \
            || printf '[libpq] warning: apt-get update reported errors (see log)\n'
        APT_UPDATED=1
    fi
}

pkg_installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

# ensure_pkgs PKG... : apt-get install the ones that are not installed.
ensure_pkgs() {
    local missing=() p
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    if [[ ${#missing[@]} -gt 0 ]]; then
        stage "installing build dependencies: ${missing[*]}"
        apt_update
        apt_run apt-get install -y --no-install-recommends "${missing[@]}"
    fi
}


# ---------------------------------------------------------------------------
# 1. Work out which source we are going to build (the cache key).
# ---------------------------------------------------------------------------
SRC_MODE=apt
SRC_PKG=""
WANT_VER=""
if [[ -n "${LIBPQ_SOURCE:-}" ]]; then
    SRC_MODE=tarball
    [[ -f "$LIBPQ_SOURCE" ]] || fail "LIBPQ_SOURCE=$LIBPQ_SOURCE does not exist"
    LIBPQ_SOURCE="$(cd "$(dirname "$LIBPQ_SOURCE")" && pwd)/$(basename "$LIBPQ_SOURCE")"
    TB_SHA=$(sha256sum "$LIBPQ_SOURCE" | cut -c1-16)
    CACHE_KEY="tarball $(basename "$LIBPQ_SOURCE") sha256:$TB_SHA"
else
    # Prefer the source package/version of what is installed (libpq-dev, then libpq5).
    for bin in libpq-dev libpq5; do
        if pkg_installed "$bin"; then
            SRC_PKG=$(dpkg-query -W -f='${source:Package}' "$bin")
            WANT_VER=$(dpkg-query -W -f='${source:Version}' "$bin")
            break
        fi
    done
    if [[ -z "$SRC_PKG" ]]; then
        # Nothing installed: ask apt which source package builds libpq-dev.
        if ! apt-cache show libpq-dev >/dev/null 2>&1; then apt_update; fi
        SRC_PKG=$(apt-cache show libpq-dev 2>/dev/null | awk -F': ' '/^Source:/{print $2; exit}' | awk '{print $1}')
        SRC_PKG=${SRC_PKG:-postgresql-15}
        WANT_VER=""
    fi
    CACHE_KEY="debian-source $SRC_PKG ${WANT_VER:-any}"
fi

if [[ -z "${LIBPQ_FORCE:-}" && -f "$STAMP" && -f "$PREFIX/lib/libpq.a" ]] \
    && [[ "$(head -n1 "$STAMP")" == "$CACHE_KEY" ]]; then
    printf '[libpq] up to date in %s (%s); set LIBPQ_FORCE=1 to rebuild\n' "$PREFIX" "$(sed -n 2p "$STAMP")"
    exit 0
fi
rm -f "$STAMP"
: >"$LOG"
stage "building static libpq ($CACHE_KEY) into $PREFIX; log: $LOG"

# ---------------------------------------------------------------------------
# 2. Build tools. bison and flex are NOT needed: release tarballs and Debian's
#    orig tarball ship the generated parser/scanner files, and nothing under
#    src/port, src/common or src/interfaces/libpq runs them (configure only
#    warns when they are missing). perl is used by configure/make helpers.
#    bzip2/xz-utils unpack the .orig.tar.bz2 / .debian.tar.xz.
# ---------------------------------------------------------------------------
NEED=(gcc make perl libssl-dev bzip2 xz-utils)
[[ $SRC_MODE == apt ]] && NEED+=(dpkg-dev)
ensure_pkgs "${NEED[@]}"

mkdir -p "$WORKDIR"
WORKDIR="$(cd "$WORKDIR" && pwd)"

# ---------------------------------------------------------------------------
# 3. Fetch and unpack the source.
# ---------------------------------------------------------------------------
SRC_DIR=""
if [[ $SRC_MODE == tarball ]]; then
    stage "unpacking $(basename "$LIBPQ_SOURCE")"
    rm -rf "$WORKDIR/tarball"
    mkdir -p "$WORKDIR/tarball"
    run tar -xf "$LIBPQ_SOURCE" -C "$WORKDIR/tarball"
    SRC_DIR=$(find "$WORKDIR/tarball" -mindepth 1 -maxdepth 1 -type d -name 'postgresql-*' | head -n1)
    [[ -n "$SRC_DIR" && -f "$SRC_DIR/configure" ]] || fail "no postgresql-*/configure in $LIBPQ_SOURCE"
    GOT_VER=$(basename "$SRC_DIR" | sed 's/^postgresql-//')
else
    # deb-src entries: only needed if apt cannot already see the source package.
    enable_deb_src() {
        local etc=${VIDB_APT_ETC:-/etc/apt}; local d=$etc/sources.list.d tmp
        tmp=$(mktemp)
        # deb822 files: copy every enabled Debian stanza with Types: deb-src.
        local f
        for f in "$d"/*.sources; do
            [[ -e "$f" ]] || continue
            [[ "$(basename "$f")" == "$DEB_SRC_BASENAME.sources" ]] && continue
            awk 'BEGIN { RS=""; ORS="\n\n" }
                 {
                   n = split($0, L, "\n"); out = ""; isdeb = 0; enabled = 1; debian = 0
                   for (i = 1; i <= n; i++) {
                     line = L[i]
                     if (line ~ /^#/) continue
                     if (line ~ /^Types:/) { if (line ~ /[ \t]deb([ \t]|$)/) isdeb = 1; line = "Types: deb-src" }
                     if (line ~ /^Enabled:[ \t]*(no|false)/) enabled = 0
                     if (line ~ /^URIs:/ && line ~ /debian/) debian = 1
                     out = out line "\n"
                   }
                   if (isdeb && enabled && debian) printf "%s\n", out
                 }' "$f" >>"$tmp"
        done
        if [[ -s "$tmp" ]]; then
            { echo "# Written by vidb scripts/build-libpq-static.sh: deb-src twins of the"
              echo "# Debian entries in this directory (needed for apt-get source)."
              echo
              cat "$tmp"; } | "${SUDO[@]}" tee "$d/$DEB_SRC_BASENAME.sources" >/dev/null
            printf 'wrote %s:\n' "$d/$DEB_SRC_BASENAME.sources" >>"$LOG"
            cat "$d/$DEB_SRC_BASENAME.sources" >>"$LOG"
        fi
        # Classic one-line format: /etc/apt/sources.list and *.list.
        : >"$tmp"
        for f in "$etc/sources.list" "$d"/*.list; do
            [[ -e "$f" ]] || continue
            [[ "$(basename "$f")" == "$DEB_SRC_BASENAME.list" ]] && continue
            sed -n -E '/debian/ s/^[[:space:]]*deb[[:space:]]+/deb-src /p' "$f" >>"$tmp"
        done
        if [[ -s "$tmp" ]]; then
            { echo "# Written by vidb scripts/build-libpq-static.sh (deb-src for apt-get source)"
              sort -u "$tmp"; } | "${SUDO[@]}" tee "$d/$DEB_SRC_BASENAME.list" >/dev/null
            printf 'wrote %s:\n' "$d/$DEB_SRC_BASENAME.list" >>"$LOG"
            cat "$d/$DEB_SRC_BASENAME.list" >>"$LOG"
        fi
        rm -f "$tmp"
        if [[ ! -e "$d/$DEB_SRC_BASENAME.sources" && ! -e "$d/$DEB_SRC_BASENAME.list" ]]; then
            fail "found no Debian 'deb' entries in /etc/apt to derive deb-src entries from"
        fi
    }
    src_versions() { apt-cache showsrc "$SRC_PKG" 2>/dev/null | awk '/^Version:/{print $2}'; }

    if [[ -z "$(src_versions)" ]]; then
        stage "enabling deb-src entries (/etc/apt/sources.list.d/$DEB_SRC_BASENAME.*) and running apt-get update"
        enable_deb_src
        APT_UPDATED=0
        apt_update
    fi
    AVAIL=$(src_versions | sort -u)
    [[ -n "$AVAIL" ]] || fail "apt knows no source package '$SRC_PKG' (deb-src not reachable?)"
    # Candidates: the installed version first (if apt offers it), then every other
    # offered version, newest first. A mirror may list a version in its Sources
    # index without serving the files (seen: debian-security source pool 404s),
    # so fall through to the next candidate when a download fails.
    CANDIDATES=()
    if [[ -n "$WANT_VER" ]] && grep -qxF "$WANT_VER" <<<"$AVAIL"; then CANDIDATES+=("$WANT_VER"); fi
    REST=()
    for v in $AVAIL; do [[ "$v" == "$WANT_VER" ]] || REST+=("$v"); done
    # insertion sort by dpkg version order, newest first
    SORTED=()
    for v in ${REST[@]+"${REST[@]}"}; do
        placed=0; NEW=()
        for w in ${SORTED[@]+"${SORTED[@]}"}; do
            if [[ $placed -eq 0 ]] && dpkg --compare-versions "$v" gt "$w"; then NEW+=("$v"); placed=1; fi
            NEW+=("$w")
        done
        [[ $placed -eq 1 ]] || NEW+=("$v")
        SORTED=("${NEW[@]}")
    done
    CANDIDATES+=(${SORTED[@]+"${SORTED[@]}"})

    DSC=""
    for GOT_VER in "${CANDIDATES[@]}"; do
        DL_DIR="$WORKDIR/$SRC_PKG-$GOT_VER"
        DSC="$DL_DIR/${SRC_PKG}_${GOT_VER#*:}.dsc"
        if [[ -f "$DSC" ]]; then
            stage "using downloaded source package $(basename "$DSC")"
            break
        fi
        stage "downloading source package $SRC_PKG=$GOT_VER (apt-get source --download-only)"
        rm -rf "$DL_DIR"; mkdir -p "$DL_DIR"
        # As root apt-get source warns that it downloads unsandboxed; harmless.
        printf '+ (cd %s && apt-get source --download-only %s)\n' "$DL_DIR" "$SRC_PKG=$GOT_VER" >>"$LOG"
        if (cd "$DL_DIR" && apt-get source --download-only "$SRC_PKG=$GOT_VER") >>"$LOG" 2>&1 && [[ -f "$DSC" ]]; then
            break
        fi
        printf '[libpq] note: could not download %s %s from the mirror; trying the next version\n' "$SRC_PKG" "$GOT_VER"
        rm -rf "$DL_DIR"; DSC=""
    done
    [[ -n "$DSC" && -f "$DSC" ]] || fail "could not download any version of $SRC_PKG (tried: ${CANDIDATES[*]})"
    if [[ -n "$WANT_VER" && "$GOT_VER" != "$WANT_VER" ]]; then
        printf '[libpq] note: building %s %s (installed libpq-dev is %s; same major version)\n' "$SRC_PKG" "$GOT_VER" "$WANT_VER"
    fi
    UPSTREAM_VER=${GOT_VER#*:}; UPSTREAM_VER=${UPSTREAM_VER%-*}
    stage "unpacking $(basename "$DSC") (dpkg-source -x)"
    SRC_DIR="$DL_DIR/postgresql-$UPSTREAM_VER"
    rm -rf "$SRC_DIR"
    # Signature check needs debian-keyring; without it dpkg-source only warns.
    run dpkg-source -x "$DSC" "$SRC_DIR"
    [[ -f "$SRC_DIR/configure" ]] || fail "unpacked tree $SRC_DIR has no configure"
    GOT_VER="$GOT_VER (upstream $UPSTREAM_VER)"
fi

# ---------------------------------------------------------------------------
# 4. Configure: client library only, nothing optional but OpenSSL.
# ---------------------------------------------------------------------------
stage "configuring PostgreSQL $GOT_VER"
CONFIGURE_OPTS=(
    --prefix=/nonexistent            # never installed with make install
    --with-openssl                   # TLS (PostgreSQL 15 spelling; = --with-ssl=openssl)
    --without-gssapi --without-ldap --without-pam --without-bsd-auth
    --without-readline --without-icu --without-zlib --without-lz4 --without-zstd
    --without-llvm --without-systemd --without-selinux
    --without-libxml --without-libxslt --without-perl --without-python --without-tcl
    --disable-nls --disable-rpath
)
run_in "$SRC_DIR" env CFLAGS="-O2 -fPIC" ./configure "${CONFIGURE_OPTS[@]}"
if grep -q 'unrecognized options' "$LOG"; then
    printf '[libpq] warning: %s\n' "$(grep -m1 'unrecognized options' "$LOG")"
fi

# ---------------------------------------------------------------------------
# 5. Build only what libpq needs.
# ---------------------------------------------------------------------------
stage "building src/port and src/common"
run make -C "$SRC_DIR/src/backend" generated-headers
# Frontend variants only (plain + PIC "_shlib"); the _srv (backend) ones are not needed.
run make -C "$SRC_DIR/src/port" -j"$JOBS" libpgport.a libpgport_shlib.a
run make -C "$SRC_DIR/src/common" -j"$JOBS" libpgcommon.a libpgcommon_shlib.a
stage "building src/interfaces/libpq"
run make -C "$SRC_DIR/src/interfaces/libpq" -j"$JOBS" all-static-lib

# ---------------------------------------------------------------------------
# 6. Install into PREFIX/{include,lib}.
# ---------------------------------------------------------------------------
stage "installing into $PREFIX"
rm -rf "$PREFIX/include" "$PREFIX/lib"
mkdir -p "$PREFIX/include/libpq" "$PREFIX/lib"
run install -m 644 "$SRC_DIR/src/interfaces/libpq/libpq-fe.h" \
                   "$SRC_DIR/src/interfaces/libpq/libpq-events.h" \
                   "$SRC_DIR/src/include/postgres_ext.h" \
                   "$SRC_DIR/src/include/pg_config.h" \
                   "$SRC_DIR/src/include/pg_config_ext.h" \
                   "$SRC_DIR/src/include/pg_config_manual.h" \
                   "$SRC_DIR/src/include/pg_config_os.h" \
                   "$PREFIX/include/"
run install -m 644 "$SRC_DIR/src/include/libpq/libpq-fs.h" "$PREFIX/include/libpq/"
run install -m 644 "$SRC_DIR/src/interfaces/libpq/libpq.a" \
                   "$SRC_DIR/src/common/libpgcommon.a" \
                   "$SRC_DIR/src/common/libpgcommon_shlib.a" \
                   "$SRC_DIR/src/port/libpgport.a" \
                   "$SRC_DIR/src/port/libpgport_shlib.a" \
                   "$PREFIX/lib/"

{
    echo "$CACHE_KEY"
    echo "PostgreSQL $GOT_VER"
    echo "configure ${CONFIGURE_OPTS[*]}"
    echo "built $(date -u '+%FT%TZ') in $(( $(date +%s) - START_TS ))s"
} >"$STAMP"
trap - ERR
stage "done in $(( $(date +%s) - START_TS ))s: $(du -sh "$PREFIX/lib" | cut -f1) of static libraries in $PREFIX/lib"
