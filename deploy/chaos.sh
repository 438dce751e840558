#!/usr/bin/env bash
# The chaos run: the platform at work while it is broken on purpose, then checked for what must survive.
# Starts the servers, builds, starts the four services as processes (as run.sh does, on ports 5111-5114,
# with databases chaos_<service> and the broker virtual host 'chaos', all made afresh), and has the
# simulator play a marketplace of every story while the script, at random moments, kills each service
# with SIGKILL twice (restarting it after a few seconds), restarts RabbitMQ once and PostgreSQL once.
# The simulator itself sends deliberately bad messages and delivers good ones twice meanwhile. Then the
# services stop and tests/Platform.Chaos checks the invariants from the databases, the dead-letter
# queues and the simulator's read-back from the APIs. Exits 0 when every invariant holds.
#
#   bash deploy/chaos.sh [--orders N] [--orders-per-second R] [--speed S] [--seed N]
#
#   --orders N              orders the simulator plays (default 5000)
#   --orders-per-second R   the rate the trade system begins them at (default 16: 5000 orders over 5 min 13 s)
#   --speed S               business time runs S times real time (default 2000: the 24-hour callback SLA is 43 s)
#   --seed N                the scenario's seed (default 7)
#
# Output in artifacts/chaos/: faults.log, simulator.log, invariants.json, manifest.json, each service's log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

orders=5000
rate=16
speed=2000
seed=7
while (($#)); do
  case "$1" in
    --orders) orders="${2:-}"; shift 2 || { echo "chaos: --orders needs a number" >&2; exit 2; } ;;
    --orders-per-second) rate="${2:-}"; shift 2 || { echo "chaos: --orders-per-second needs a number" >&2; exit 2; } ;;
    --speed) speed="${2:-}"; shift 2 || { echo "chaos: --speed needs a number" >&2; exit 2; } ;;
    --seed) seed="${2:-}"; shift 2 || { echo "chaos: --seed needs a number" >&2; exit 2; } ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "chaos: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$orders" =~ ^[0-9]+$ ]] && ((orders >= 12)) || { echo "chaos: --orders must be a whole number of at least 12, not '$orders'" >&2; exit 2; }
[[ "$rate" =~ ^[0-9]+$ ]] && ((rate >= 1)) || { echo "chaos: --orders-per-second must be a whole number of at least 1, not '$rate'" >&2; exit 2; }
[[ "$speed" =~ ^[0-9]+$ ]] && ((speed >= 2000)) || { echo "chaos: --speed must be a whole number of at least 2000, not '$speed'" >&2; exit 2; }
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "chaos: --seed must be a whole number, not '$seed'" >&2; exit 2; }

bash "$here/servers.sh"
source "$here/env.sh"

tool=chaos
logs="$root/artifacts/chaos"
declare -A ports=([Order]=5111 [Warranty]=5112 [RepairDispatch]=5113 [Arbitration]=5114)
issuer_port=5110
issuer_database=chaos_identity
source "$here/services.sh"
mkdir -p "$logs"
rm -f "$logs"/*.log "$logs"/*.json

export PLATFORM_RABBITMQ_VHOST=chaos
# Each simulated party polls the APIs: a log line per request would be half a gigabyte a run.
for svc in "${services[@]}"; do
  service_settings[$svc]="PLATFORM_PG_DATABASE=chaos_${svc,,} Logging__LogLevel__Microsoft.AspNetCore=Warning"
done
# The plan's Sichuan providers never call back and must keep being tried, so that every Sichuan job walks
# through two breaches to the platform; the suspension that would stop that is tested on its own elsewhere.
service_settings[RepairDispatch]+=" RepairDispatch__SuspensionBreachThreshold=1000000"


use_docker=""
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then use_docker=yes; fi

ports_free
build "the simulator and the chaos checker" tests/Platform.Simulator/Platform.Simulator.csproj tests/Platform.Chaos/Platform.Chaos.csproj
chaos_tool() { dotnet "$root/tests/Platform.Chaos/bin/Release/net10.0/Platform.Chaos.dll" "$@"; }
chaos_tool prepare

started=$SECONDS
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
machine="$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), .NET SDK $(dotnet --version)"
share_clock "$speed"
watcher=""
simulator=""
finish() {
  if [[ -n "$simulator" ]]; then kill -TERM "$simulator" 2>/dev/null || true; fi
  if [[ -n "$watcher" ]]; then kill "$watcher" 2>/dev/null || true; fi
  stop_services
}
trap finish EXIT
trap 'echo; echo "chaos: interrupted"; exit 130' INT TERM
start_issuer
start_services

elapsed() { printf '%4ds' $((SECONDS - started)); }
say() { echo "chaos: [$(elapsed)] $*" | tee -a "$logs/faults.log"; }

# What is in flight when a fault lands: the simulator's last progress line and the broker's queued messages.
in_flight() {
  local line queued
  line=$(grep '^\[' "$logs/simulator.log" 2>/dev/null | tail -n 1 | sed 's/^\[[^]]*\] //')
  queued=$(timeout 10 rabbitmqctl list_queues -q -p "$PLATFORM_RABBITMQ_VHOST" messages 2>/dev/null | awk '$1 ~ /^[0-9]+$/ {s += $1} END {print s + 0}')
  echo "${queued:-?} messages queued; simulator: ${line:-starting}"
}

pg_answers() { PGPASSWORD="$PLATFORM_PG_PASSWORD" psql -h "$PLATFORM_PG_HOST" -p "$PLATFORM_PG_PORT" -U "$PLATFORM_PG_USER" -d postgres -Atc 'select 1' >/dev/null 2>&1; }
# The broker opens its AMQP port once it has booted; rabbitmq-diagnostics, an Erlang VM of its own, can take a
# minute on a loaded machine to say the same.
rabbit_answers() { (exec 3<>"/dev/tcp/$PLATFORM_RABBITMQ_HOST/$PLATFORM_RABBITMQ_PORT") 2>/dev/null; }
until_answers() { # until_answers WHAT SECONDS COMMAND
  local what=$1 end=$((SECONDS + $2)); shift 2
  until "$@"; do
    if ((SECONDS >= end)); then say "$what does not answer after $2 s"; exit 1; fi
    sleep 0.5
  done
}

# The servers restart the way deploy/servers.sh starts them: Debian's packages here, compose with Docker.
restart_postgres() {
  if [[ -n "$use_docker" ]]; then
    docker compose -f "$root/docker-compose.yml" restart postgres >/dev/null
  else
    # shellcheck disable=SC2046
    pg_ctlcluster $(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}') restart -m fast
  fi
  until_answers PostgreSQL 120 pg_answers
}
restart_rabbitmq() {
  if [[ -n "$use_docker" ]]; then
    docker compose -f "$root/docker-compose.yml" restart rabbitmq >/dev/null
  else
    rabbitmqctl -q shutdown >/dev/null
    say "RabbitMQ stopped"
    rabbitmq-server -detached
  fi
  until_answers RabbitMQ 180 rabbit_answers
}

fault() {
  local what=$1 begun=$SECONDS
  case "$what" in
    postgres)
      say "restarting PostgreSQL; $(in_flight)"
      restart_postgres
      say "PostgreSQL answers again after $((SECONDS - begun)) s" ;;
    rabbitmq)
      say "restarting RabbitMQ; $(in_flight)"
      restart_rabbitmq
      say "RabbitMQ answers again after $((SECONDS - begun)) s" ;;
    *)
      say "SIGKILL to $what (pid ${service_pids[$what]}); $(in_flight)"
      kill -KILL "${service_pids[$what]}"
      wait "${service_pids[$what]}" 2>/dev/null || true
      sleep $((1 + RANDOM % 5))
      start_service "$what"
      wait_ready "$what" 120
      say "$what restarted (pid ${service_pids[$what]}), ready $((SECONDS - begun)) s after the kill" ;;
  esac
}

pacing=$(((orders + rate - 1) / rate))
# Room for the last orders' ten-day automatic confirmation and three-day cases, then a margin for the faults.
give_up=$((pacing + 15 * 86400 / speed + 240))
: >"$logs/simulator.log"
dotnet tests/Platform.Simulator/bin/Release/net10.0/Platform.Simulator.dll --orders "$orders" --seed "$seed" --mix EveryStory \
  --orders-per-second "$rate" --chaos "$logs/manifest.json" --timeout "$give_up" \
  --order-url "http://127.0.0.1:${ports[Order]}" --warranty-url "http://127.0.0.1:${ports[Warranty]}" \
  --repair-dispatch-url "http://127.0.0.1:${ports[RepairDispatch]}" --arbitration-url "http://127.0.0.1:${ports[Arbitration]}" \
  >"$logs/simulator.log" 2>&1 &
simulator=$!
tail -n +1 -f "$logs/simulator.log" --pid "$simulator" &
watcher=$!

# Ten faults at random moments while the orders are flowing: one in each tenth of the pacing (from 10 s after
# the first order to 20 s after the last), in shuffled order, each at least 10 s before the next tenth begins.
until grep -q '^\[' "$logs/simulator.log"; do
  kill -0 "$simulator" 2>/dev/null || { say "the simulator stopped before its first order"; break; }
  sleep 0.5
done
flowing=$SECONDS
mapfile -t faults < <(printf '%s\n' Order Order Warranty Warranty RepairDispatch RepairDispatch Arbitration Arbitration rabbitmq postgres | shuf)
slot=$(((pacing + 10) / ${#faults[@]}))
say "on $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "orders flowing; clock ${speed}x from $PLATFORM_CLOCK_ORIGIN; $orders orders at $rate a second over ${pacing} s; ${#faults[@]} faults, one every ~${slot} s"
for i in "${!faults[@]}"; do
  at=$((flowing + 10 + i * slot + RANDOM % (slot > 10 ? slot - 10 : 1)))
  while ((SECONDS < at)); do
    kill -0 "$simulator" 2>/dev/null || { say "the simulator stopped before every fault was injected"; break 2; }
    sleep 0.5
  done
  fault "${faults[$i]}"
done
say "every fault injected; waiting for the simulator to settle and read back"

set +e
wait "$simulator"
simulation=$?
simulator=""
set -e
wait "$watcher" 2>/dev/null || true
watcher=""
say "the simulator finished with status $simulation"
stop_services

set +e
chaos_tool check --manifest "$logs/manifest.json" --report "$logs/invariants.json" | tee "$logs/invariants.log"
checked=${PIPESTATUS[0]}
set -e
finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
say "from $started_at to $finished_at: $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s after the build; simulator status $simulation, invariants status $checked; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if ((simulation != 0 || checked != 0)); then
  exit 1
fi
