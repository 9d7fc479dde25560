#!/usr/bin/env bash
# ctest-labels: vidb
# vidb up / down refuse URLs they cannot serve, with exit 2 and the reason; no server
# is needed and nothing is created.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=localdb_lib.sh
source "$(dirname "$0")/localdb_lib.sh"
enter_project

run_vidb --url "postgresql://app:remote-pw-1@db.example.com:5432/app" up
expect_rc 2
expect_err_contains "points at db.example.com, which is not a local address"
expect_not_contains_anywhere "remote-pw-1"

run_vidb --url "postgresql://app:remote-pw-1@db.example.com:5432/app" down
expect_rc 2

run_vidb --url "postgresql://app@127.0.0.1:15432/app" up
expect_rc 2
expect_err_contains "has no password"
expect_err_contains "put one in the URL after the user name (app:PASSWORD@127.0.0.1)"

run_vidb --url "postgresql://app:pw@/app?host=/var/run/postgresql" up
expect_rc 2
expect_err_contains "connects through a Unix socket (/var/run/postgresql)"

run_vidb --url "postgresql://app:pw@127.0.0.1:99999/app" up
expect_rc 2

run_vidb --url "postgresql://app:pw@127.0.0.1:15432/app" up --backend podman
expect_rc 2

# No DATABASE_URL and no POSTGRES_PASSWORD: say what to set.
run_vidb up
expect_rc 2
expect_err_contains "no DATABASE_URL"
expect_err_contains "cp .env.template .env"

# down without anything to stop is fine (a password is not needed to stop).
run_vidb --url "postgresql://app@127.0.0.1:15432/app" down
expect_rc 0
expect_out_contains "nothing to stop"
_checks=$((_checks + 1))
[[ -z $(find .vidb -mindepth 1 ! -name .gitignore 2>/dev/null) ]] || fail "refused commands created files"
pass
