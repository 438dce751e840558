#!/usr/bin/env bash
# Makes PostgreSQL and RabbitMQ available and creates one database per service.
# With a Docker engine that answers it uses docker-compose.yml; otherwise Debian's packages,
# installed where missing. Succeeds when the servers already run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
source "$here/env.sh"

deadline() { # deadline SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= end)); then echo "servers: $what not ready after ${seconds}s" >&2; return 1; fi
    sleep 0.5
  done
}

apt_updated=""
apt_install() {
  if [[ -z "$apt_updated" ]]; then apt-get update -qq; apt_updated=yes; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

use_docker=""
# psql on this machine, or inside the compose container when the servers run in Docker.
run_psql() {
  if [[ -n "$use_docker" ]]; then
    docker compose -f "$root/docker-compose.yml" exec -T -e PGPASSWORD="$PLATFORM_PG_PASSWORD" postgres psql -h 127.0.0.1 -U "$PLATFORM_PG_USER" -d postgres "$@"
  else
    PGPASSWORD="$PLATFORM_PG_PASSWORD" psql -h "$PLATFORM_PG_HOST" -p "$PLATFORM_PG_PORT" -U "$PLATFORM_PG_USER" -d postgres "$@"
  fi
}
pg_ready() { run_psql -Atc 'select 1'; }

start_with_docker() {
  use_docker=yes
  docker compose -f "$root/docker-compose.yml" up -d postgres rabbitmq
  deadline 120 "PostgreSQL" pg_ready
  deadline 120 "RabbitMQ" bash -c "exec 3<>/dev/tcp/$PLATFORM_RABBITMQ_HOST/$PLATFORM_RABBITMQ_PORT"
}

start_postgres_locally() {
  command -v pg_lsclusters >/dev/null || apt_install postgresql
  local cluster
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
  if [[ -z "$cluster" ]]; then
    local version
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$version" main >/dev/null
    cluster="$version main"
  fi
  # shellcheck disable=SC2086
  if ! pg_ctlcluster $cluster status >/dev/null 2>&1; then pg_ctlcluster $cluster start; fi
  deadline 60 "PostgreSQL socket" su postgres -c "psql -Atc 'select 1'"
  su postgres -c "psql -q -c \"ALTER USER $PLATFORM_PG_USER PASSWORD '$PLATFORM_PG_PASSWORD'\"" >/dev/null
  # Each service keeps a pool of up to 50 connections (PLATFORM_PG_MAX_POOL_SIZE) and the tests run several services at once:
  # the default 100 runs out.
  if (($(su postgres -c "psql -Atc 'show max_connections'") < 400)); then
    su postgres -c "psql -q -c 'ALTER SYSTEM SET max_connections = 400'" >/dev/null
    # shellcheck disable=SC2086
    pg_ctlcluster $cluster restart
    deadline 60 "PostgreSQL socket" su postgres -c "psql -Atc 'select 1'"
  fi
  deadline 60 "PostgreSQL on $PLATFORM_PG_HOST:$PLATFORM_PG_PORT" pg_ready
}

start_rabbitmq_locally() {
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
    rabbitmq-server -detached
  fi
  deadline 120 "RabbitMQ" rabbitmq-diagnostics -q ping
  deadline 60 "RabbitMQ port" bash -c "exec 3<>/dev/tcp/$PLATFORM_RABBITMQ_HOST/$PLATFORM_RABBITMQ_PORT"
}

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  start_with_docker
else
  start_postgres_locally
  start_rabbitmq_locally
fi

for db in $PLATFORM_DATABASES; do
  exists=$(run_psql -Atc "select 1 from pg_database where datname = '$db'")
  [[ "$exists" == 1 ]] || run_psql -q -c "create database \"$db\""
done

cat <<INFO
servers: PostgreSQL  $PLATFORM_PG_USER@$PLATFORM_PG_HOST:$PLATFORM_PG_PORT  databases: $PLATFORM_DATABASES
servers: RabbitMQ    $PLATFORM_RABBITMQ_USER@$PLATFORM_RABBITMQ_HOST:$PLATFORM_RABBITMQ_PORT  (management: http://$PLATFORM_RABBITMQ_HOST:15672)
INFO
