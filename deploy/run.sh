#!/usr/bin/env bash
# Runs the platform: the servers, then every service that exists as its own process, each
# reported healthy through /health/ready. Ctrl-C stops the services; the servers stay up.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
bash "$here/servers.sh"
source "$here/env.sh"

declare -A ports=([Order]=5101 [Warranty]=5102 [RepairDispatch]=5103 [Arbitration]=5104)
dotnet build Platform.sln -c Release -nologo -v q
logs="$root/artifacts/logs"
mkdir -p "$logs"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM

started=()
for svc in Order Warranty RepairDispatch Arbitration; do
  project="services/$svc/$svc.Service"
  [[ -d "$project" ]] || continue
  ASPNETCORE_URLS="http://127.0.0.1:${ports[$svc]}" dotnet run --project "$project" -c Release --no-build >"$logs/$svc.log" 2>&1 &
  pids+=($!)
  started+=("$svc")
done

for svc in "${started[@]}"; do
  url="http://127.0.0.1:${ports[$svc]}/health/ready"
  for _ in $(seq 1 120); do
    if curl -fs "$url" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  echo "$svc: $(curl -s "$url" || echo 'not ready; see artifacts/logs/'"$svc"'.log')"
done
if ((${#started[@]} == 0)); then
  echo "platform: servers ready; no service exists yet"
  exit 0
fi
echo "platform: running (logs in artifacts/logs). Ctrl-C to stop."
wait
