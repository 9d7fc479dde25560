#!/usr/bin/env bash
# ctest-labels: vidb
# As root, in a project the postgres account cannot reach (mode 0700, like one under
# /root): the cluster lives in /var/lib/vidb/<project>-<hash>-<port>, .vidb/pg-<port>
# links to it, everything works, and down --purge deletes both. Root only.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=localdb_lib.sh
source "$(dirname "$0")/localdb_lib.sh"
if ((EUID != 0)); then
  echo "SKIP: needs root"
  exit 77
fi
require_server_binaries
enter_project 0700

port=$(free_port)
password="Rl$(openssl rand -hex 10)"
write_env "postgresql://app:$password@localhost:$port/app"

run_vidb up
expect_rc 0
expect_out_contains "is ready at postgresql://app:***@localhost:$port/app"
_checks=$((_checks + 1))
[[ -L .vidb/pg-$port ]] || fail ".vidb/pg-$port is not a symbolic link"
target=$(readlink ".vidb/pg-$port")
at_exit "rm -rf '$target'"
[[ $target == /var/lib/vidb/*-$port ]] || fail "unexpected location: $target"
expect_eq "$(stat -c '%a %U' "$target")" "700 postgres" "relocated instance"
_checks=$((_checks + 1))
! grep -rqF "$password" "$target" .vidb/ || fail "the password is written under $target"

run_vidb migrate
expect_rc 0
run_vidb down
expect_rc 0
expect_out_contains "Stopped PostgreSQL in .vidb/pg-$port"
run_vidb up
expect_rc 0
run_vidb status
expect_rc 0
expect_out_contains "applied"

run_vidb down --purge
expect_rc 0
_checks=$((_checks + 1))
[[ ! -e $target && ! -L .vidb/pg-$port ]] || fail "down --purge left $target or the link"
pass
