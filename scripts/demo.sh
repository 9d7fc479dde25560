#!/usr/bin/env bash
# `make demo`: take a fresh Debian 12 machine (as root, or a user with sudo) to a
# running local PostgreSQL with every migration applied and the selftest passing.
#
#   1. install what is missing (scripts/install-deps.sh: compilers, libpq, postgresql),
#   2. build build/vidb (Release),
#   3. create .env from .env.template, with a random password, unless .env exists,
#   4. vidb up, vidb migrate, vidb selftest.
#
# Safe to run again: every step is idempotent. BUILD_DIR (default build) and JOBS
# (default: every core) change the build.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
vidb=$build_dir/vidb

step() { printf '\n==> %s\n' "$*"; }

step "Installing what is missing"
scripts/install-deps.sh

step "Building $vidb"
# Under `make demo` the inner make would announce every directory it enters.
unset MAKELEVEL MAKEFLAGS MFLAGS
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" -j "$jobs" --target vidb

step "Configuration"
if [[ -f .env ]]; then
  echo "using the existing .env"
else
  # A random password rather than the template's placeholder; .env stays private.
  password=$(openssl rand -hex 16)
  (umask 077 && sed "s/change-me-local-only/$password/g" .env.template >.env)
  echo "created .env from .env.template (with a random password)"
fi

step "vidb up"
"$vidb" up

step "vidb migrate"
"$vidb" migrate

step "vidb selftest"
"$vidb" selftest

cat <<'MSG'

Done: the local database is running, migrated and checked.
  build/vidb status      what is applied            (make db-status)
  make db-new NAME=...   a new migration; make db-migrate rebuilds and applies it
  build/vidb down        stop the database           (make db-down)
See MIGRATIONS.md, "Local development database".
MSG
