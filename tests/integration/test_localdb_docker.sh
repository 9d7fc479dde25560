#!/usr/bin/env bash
# ctest-labels: vidb
# The Docker path of vidb up / down, against a fake `docker` that records what it is
# asked: the container and volume names, the port published on loopback only, and the
# password passed in the client's environment, never on its command line. (No real
# engine is needed; with none answering, vidb falls through to the native server, which
# the other localdb tests cover.)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=localdb_lib.sh
source "$(dirname "$0")/localdb_lib.sh"
enter_project

port=$(free_port)
secret="Dk$(openssl rand -hex 10)"
write_env "postgresql://app:$secret@127.0.0.1:$port/appdb"
export FAKE_DOCKER_LOG=$_tmp/docker.log FAKE_DOCKER_ENV=$_tmp/docker.env FAKE_DOCKER_STATE=$_tmp/docker.state
fake_docker '
printf "%s\n" "$*" >>"$FAKE_DOCKER_LOG"
case $1 in
  info) echo 27.0.1 ;;
  inspect)
    [[ -f $FAKE_DOCKER_STATE ]] || { echo "Error: No such object: ${!#}" >&2; exit 1; }
    if [[ $3 == *Labels* ]]; then echo "true $(pwd -P)"; else echo true; fi ;;
  run)
    printf "POSTGRES_USER=%s POSTGRES_DB=%s POSTGRES_PASSWORD=%s\n" "$POSTGRES_USER" "$POSTGRES_DB" "$POSTGRES_PASSWORD" >"$FAKE_DOCKER_ENV"
    touch "$FAKE_DOCKER_STATE"; echo 4f3c2b1a ;;
  stop|rm) echo "${!#}" ;;
  volume) echo "${!#}" ;;
  *) echo "fake docker: unexpected $1" >&2; exit 1 ;;
esac'

slug=$(basename "$PROJECT" | tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//' | cut -c1-24 | sed 's/-*$//')
name="vidb-$slug-$port"

# Nothing listens behind the fake container: up waits, then gives up with exit 5.
run_vidb up --wait-timeout 2s
expect_rc 5
expect_out_contains "Starting container $name (postgres:16-alpine, data in volume $name)"
expect_err_contains "did not accept connections in time"
expect_not_contains_anywhere "$secret"
run_line=$(grep '^run ' "$FAKE_DOCKER_LOG" || true)
[[ -n $run_line ]] || fail "docker run was not called: $(cat "$FAKE_DOCKER_LOG")"
expect_eq "$run_line" "run --detach --name $name --label dev.vidb.project=$(pwd -P) --publish 127.0.0.1:$port:5432 --volume $name:/var/lib/postgresql/data --env POSTGRES_USER --env POSTGRES_DB --env POSTGRES_PASSWORD postgres:16-alpine" "docker run arguments"
_checks=$((_checks + 1))
! grep -qF "$secret" "$FAKE_DOCKER_LOG" || fail "the password is on the docker command line"
expect_eq "$(cat "$FAKE_DOCKER_ENV")" "POSTGRES_USER=app POSTGRES_DB=appdb POSTGRES_PASSWORD=$secret" "container environment"
_checks=$((_checks + 1))
[[ ! -e .vidb/pg-$port ]] || fail "the docker path created a native cluster"

# VIDB_DOCKER_IMAGE picks the image.
rm -f "$FAKE_DOCKER_STATE"
VIDB_DOCKER_IMAGE=postgres:17 run_vidb up --wait-timeout 1s
expect_rc 5
expect_eq "$(grep '^run ' "$FAKE_DOCKER_LOG" | tail -n1 | awk '{print $NF}')" "postgres:17" "image"

: >"$FAKE_DOCKER_LOG"
run_vidb down --purge
expect_rc 0
expect_out_contains "Stopped PostgreSQL in container $name"
expect_out_contains "Removed container $name and its volume"
expect_eq "$(grep -c "^stop --time 60 $name\$" "$FAKE_DOCKER_LOG")" 1 "docker stop"
expect_eq "$(grep -c "^rm --force $name\$" "$FAKE_DOCKER_LOG")" 1 "docker rm"
expect_eq "$(grep -c "^volume rm $name\$" "$FAKE_DOCKER_LOG")" 1 "docker volume rm"

# --backend docker without an engine: a clear error, no fall-through.
fake_docker 'echo "Cannot connect to the Docker daemon" >&2; exit 1'
run_vidb up --backend docker
expect_rc 1
expect_err_contains "--backend docker: no Docker engine answers"
pass
