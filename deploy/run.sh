#!/usr/bin/env bash
# Runs the platform doing its job: the servers, the four services as processes of their own on one
# shared compressed business clock, and the simulator playing the marketplace around them (orders,
# claims, repair providers, an arbitrator) with live progress and a summary read back from the
# services' APIs. Then it stops the services, unless --keep-running. Exits with the simulator's
# status: 0 when every figure is what the scenario implies.
#
#   bash deploy/run.sh [--orders N] [--speed S] [--keep-running]
#
#   --orders N       orders the simulator plays (default 30, at least 12)
#   --speed S        business time runs S times real time (default 20000: a day in 4.3 s)
#   --keep-running   leave the services up afterwards, and say what to open
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

orders=30
speed=20000
keep=""
while (($#)); do
  case "$1" in
    --orders) orders="${2:-}"; shift 2 || { echo "run: --orders needs a number" >&2; exit 2; } ;;
    --speed) speed="${2:-}"; shift 2 || { echo "run: --speed needs a number" >&2; exit 2; } ;;
    --keep-running) keep=yes; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$orders" =~ ^[0-9]+$ ]] && ((orders >= 12)) || { echo "run: --orders must be a whole number of at least 12 (one order per story), not '$orders'" >&2; exit 2; }
# Below 2000x the ten-day automatic confirmation alone takes longer than a few minutes; the simulator refuses it.
[[ "$speed" =~ ^[0-9]+$ ]] && ((speed >= 2000)) || { echo "run: --speed must be a whole number of at least 2000, not '$speed'" >&2; exit 2; }

bash "$here/servers.sh"
source "$here/env.sh"

declare -A ports=([Order]=5101 [Warranty]=5102 [RepairDispatch]=5103 [Arbitration]=5104)
services=(Order Warranty RepairDispatch Arbitration)

# answers PORT PATH: a local service answers 200. Plain bash, since a fresh machine may have no curl.
answers() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -r -t 5 _ status _ <&3
    [[ "$status" == 200 ]]
  ) 2>/dev/null
}

for svc in "${services[@]}"; do
  if answers "${ports[$svc]}" /health/live; then
    echo "run: something already answers on port ${ports[$svc]} (an earlier run kept running?); stop it first" >&2
    exit 1
  fi
done

logs="$root/artifacts/logs"
mkdir -p "$logs"
echo "run: building the services and the simulator (Release; output in artifacts/logs/build.log)"
# One build of just what runs, through a solution filter: the projects' references come with them.
cat >"$root/artifacts/run.slnf" <<'FILTER'
{
  "solution": {
    "path": "../Platform.sln",
    "projects": [
      "services/Order/Order.Service/Order.Service.csproj",
      "services/Warranty/Warranty.Service/Warranty.Service.csproj",
      "services/RepairDispatch/RepairDispatch.Service/RepairDispatch.Service.csproj",
      "services/Arbitration/Arbitration.Service/Arbitration.Service.csproj",
      "tests/Platform.Simulator/Platform.Simulator.csproj"
    ]
  }
}
FILTER
if ! dotnet build "$root/artifacts/run.slnf" -c Release -nologo >"$logs/build.log" 2>&1; then
  grep -E "error|Error" "$logs/build.log" | tail -n 20 >&2
  echo "run: the build failed; see $logs/build.log" >&2
  exit 1
fi

# One clock for every process of the run: the same speed from the same origin, so they agree on "now".
export PLATFORM_CLOCK_SPEED="$speed"
export PLATFORM_CLOCK_ORIGIN="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
# The services and the simulator find the same key ring here, so the simulator's tokens verify everywhere.
export PLATFORM_KEYS_DIR="${PLATFORM_KEYS_DIR:-${TMPDIR:-/tmp}/warranty-platform-keys}"

pids=()
stop_services() {
  ((${#pids[@]})) || return 0
  echo "run: stopping the services"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # A service finishes the messages in hand within 35 s of SIGTERM; after 40 s it is killed.
  local end=$((SECONDS + 40)) alive
  while ((SECONDS < end)); do
    alive=""
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=yes; done
    [[ -n "$alive" ]] || break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  pids=()
}
trap stop_services EXIT
trap 'echo; echo "run: interrupted"; exit 130' INT TERM

for svc in "${services[@]}"; do
  bin="$root/services/$svc/$svc.Service/bin/Release/net10.0"
  extra=()
  # Cases are shared out between two arbitrators; the simulator rules as the one each case is assigned to.
  [[ "$svc" == Arbitration ]] && extra=(Arbitration__Arbitrators__0=arb-1 Arbitration__Arbitrators__1=arb-2)
  # exec in a subshell: the pid kept is the service's own, so stopping it stops the service.
  (cd "$bin" && exec env ASPNETCORE_URLS="http://127.0.0.1:${ports[$svc]}" "${extra[@]}" dotnet "$svc.Service.dll") >"$logs/$svc.log" 2>&1 &
  pids+=($!)
done

for i in "${!services[@]}"; do
  svc="${services[$i]}"
  end=$((SECONDS + 90))
  until answers "${ports[$svc]}" /health/ready; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run: $svc exited; the end of $logs/$svc.log:" >&2
      tail -n 20 "$logs/$svc.log" >&2
      exit 1
    fi
    if ((SECONDS >= end)); then
      echo "run: $svc is not ready after 90 s; see $logs/$svc.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "run: $svc ready at http://127.0.0.1:${ports[$svc]}"
done

echo "run: clock ${PLATFORM_CLOCK_SPEED}x real time from $PLATFORM_CLOCK_ORIGIN; logs in artifacts/logs/"
set +e
dotnet tests/Platform.Simulator/bin/Release/net10.0/Platform.Simulator.dll --orders "$orders" \
  --order-url "http://127.0.0.1:${ports[Order]}" --warranty-url "http://127.0.0.1:${ports[Warranty]}" \
  --repair-dispatch-url "http://127.0.0.1:${ports[RepairDispatch]}" --arbitration-url "http://127.0.0.1:${ports[Arbitration]}" \
  2>&1 | tee "$logs/simulator.log"
status=${PIPESTATUS[0]}
set -e

if [[ -z "$keep" ]]; then
  exit "$status"
fi

run_id=$(sed -n 's/^Simulation run \([0-9a-f]*\):.*/\1/p' "$logs/simulator.log" | head -n 1)
cat <<NEXT

The platform keeps running; its business clock still runs ${PLATFORM_CLOCK_SPEED}x real time. To explore:
  APIs           Order http://127.0.0.1:${ports[Order]}   Warranty http://127.0.0.1:${ports[Warranty]}
                 RepairDispatch http://127.0.0.1:${ports[RepairDispatch]}   Arbitration http://127.0.0.1:${ports[Arbitration]}
                 each describes itself at /openapi/v1.json (with any token)
  a token        dotnet run --project services/Platform.Cli -- token --role customer-service --subject cs-1
                 (roles: buyer, merchant, provider, customer-service, arbitrator, operator; the subject is the party's id)
  then           token=\$(dotnet run --project services/Platform.Cli -- token --role customer-service --subject cs-1)
                 curl -H "Authorization: Bearer \$token" http://127.0.0.1:${ports[Order]}/orders/sim-${run_id:-<run>}-001
                 curl -H "Authorization: Bearer \$(dotnet run --project services/Platform.Cli -- token --role arbitrator --subject arb-1)" \\
                   "http://127.0.0.1:${ports[Arbitration]}/cases?status=Ruled"
  RabbitMQ       http://127.0.0.1:15672  (guest/guest): queues, rates, the _error queues
  logs           artifacts/logs/<Service>.log (JSON lines with trace ids), artifacts/logs/simulator.log
Ctrl-C stops the services.
NEXT
wait
