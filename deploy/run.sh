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

tool=run
logs="$root/artifacts/logs"
declare -A ports=([Order]=5101 [Warranty]=5102 [RepairDispatch]=5103 [Arbitration]=5104)
issuer_port=5100
issuer_database=identity
source "$here/services.sh"

console_port=5105
ports_free
if answers "$console_port" /health/live; then
  echo "run: something already answers on port $console_port (an earlier run kept running?); stop it first" >&2
  exit 1
fi
build "the simulator, the console and the CLI" tests/Platform.Simulator/Platform.Simulator.csproj \
  services/Platform.Console/Platform.Console.csproj services/Platform.Cli/Platform.Cli.csproj
share_clock "$speed"
trap stop_services EXIT
trap 'echo; echo "run: interrupted"; exit 130' INT TERM
# The repair providers' webhook endpoint in the simulator: a certificate made for this run, trusted by RepairDispatch alone.
webhooks="$root/artifacts/webhooks"
mkdir -p "$webhooks"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=simulator-webhooks" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$webhooks/receiver.key" -out "$webhooks/receiver.pem" 2>/dev/null
export RepairDispatch__Webhooks__TrustedCertificateFiles__0="$webhooks/receiver.pem"
# It listens on loopback, which a webhook reaches only when its network is allowed.
export RepairDispatch__Webhooks__AllowedNetworks__0="127.0.0.0/8"
start_issuer
start_services

# The operations console on the same issuer, APIs and clock; stopped with the services.
: >"$logs/Console.log"
(cd "$root/services/Platform.Console/bin/Release/net10.0" && exec env ASPNETCORE_URLS="http://127.0.0.1:$console_port" \
  PLATFORM_CONSOLE_ORDER_URL="http://127.0.0.1:${ports[Order]}/" PLATFORM_CONSOLE_WARRANTY_URL="http://127.0.0.1:${ports[Warranty]}/" \
  PLATFORM_CONSOLE_REPAIRDISPATCH_URL="http://127.0.0.1:${ports[RepairDispatch]}/" PLATFORM_CONSOLE_ARBITRATION_URL="http://127.0.0.1:${ports[Arbitration]}/" \
  Logging__LogLevel__Microsoft.AspNetCore=Warning dotnet Platform.Console.dll) >>"$logs/Console.log" 2>&1 &
service_pids[Console]=$!
wait_ready Console 60 "$console_port"
echo "run: the console ready at http://127.0.0.1:$console_port"
# console_client ROLE PARTY: a client console-ROLE a person signs in to the console with (development secret).
console_secret=console-development-secret
console_client() {
  dotnet services/Platform.Cli/bin/Release/net10.0/platform.dll clients register "console-$1" --role "$1" --subject "$2" \
    --secret "$console_secret" --service order warranty repairdispatch arbitration >/dev/null
}
# Staff see every party's work whoever they are; arb-1 is one of the two arbitrators cases are shared out to.
console_client operator ops-console
console_client customer-service cs-console
console_client arbitrator arb-1

echo "run: clock ${PLATFORM_CLOCK_SPEED}x real time from $PLATFORM_CLOCK_ORIGIN; logs in artifacts/logs/"
set +e
dotnet tests/Platform.Simulator/bin/Release/net10.0/Platform.Simulator.dll --orders "$orders" \
  --order-url "http://127.0.0.1:${ports[Order]}" --warranty-url "http://127.0.0.1:${ports[Warranty]}" \
  --repair-dispatch-url "http://127.0.0.1:${ports[RepairDispatch]}" --arbitration-url "http://127.0.0.1:${ports[Arbitration]}" \
  --webhook-certificate "$webhooks/receiver.pem" --webhook-key "$webhooks/receiver.key" \
  2>&1 | tee "$logs/simulator.log"
status=${PIPESTATUS[0]}
set -e

if [[ -z "$keep" ]]; then
  exit "$status"
fi

run_id=$(sed -n 's/^Simulation run \([0-9a-f]*\):.*/\1/p' "$logs/simulator.log" | head -n 1)
# A merchant's view needs one of this run's merchants, known only now.
console_client merchant "merchant-${run_id}-1"
cat <<NEXT

The platform and its issuer keep running; its business clock still runs ${PLATFORM_CLOCK_SPEED}x real time. To explore:
  APIs           Order http://127.0.0.1:${ports[Order]}   Warranty http://127.0.0.1:${ports[Warranty]}
                 RepairDispatch http://127.0.0.1:${ports[RepairDispatch]}   Arbitration http://127.0.0.1:${ports[Arbitration]}
                 each describes itself at /openapi/v1.json, browsable at /scalar (no token needed)
  a token        source deploy/env.sh   (the development issuer's administrator secret)
                 dotnet run --project services/Platform.Cli -- token --role customer-service --subject cs-1 --service order
                 (roles: buyer, merchant, provider, customer-service, arbitrator, operator; the subject is the party's id;
                 a token is for one service and lasts minutes; the issuer is $PLATFORM_AUTH_AUTHORITY)
  then           token=\$(dotnet run --project services/Platform.Cli -- token --role customer-service --subject cs-1 --service order)
                 curl -H "Authorization: Bearer \$token" http://127.0.0.1:${ports[Order]}/orders/sim-${run_id:-<run>}-001
                 curl -H "Authorization: Bearer \$(dotnet run --project services/Platform.Cli -- token --role arbitrator --subject arb-1 --service arbitration)" \\
                   "http://127.0.0.1:${ports[Arbitration]}/cases?status=Ruled"
  console        http://127.0.0.1:$console_port  sign in as console-operator, console-customer-service, console-arbitrator
                 or console-merchant (merchant-${run_id}-1), secret $console_secret (docs/console.md)
  RabbitMQ       http://127.0.0.1:15672  (guest/guest): queues, rates, the _error queues
  logs           artifacts/logs/<Service>.log (JSON lines with trace ids), artifacts/logs/simulator.log
Ctrl-C stops the services.
NEXT
wait
