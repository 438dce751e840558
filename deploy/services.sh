# Sourced by run.sh and chaos.sh: builds the four services and the issuer with what runs beside them, starts
# the issuer, then each service as a process of its own on one shared business clock, waits until each is
# ready, and stops them all. The caller sets `tool` (its name in messages), `root`, `logs` (the log
# directory), `issuer_port`, `issuer_database` and the associative array `ports` (service -> port);
# `service_settings[Service]` may add VAR=value settings to one service.
services=(Order Warranty RepairDispatch Arbitration)
declare -A service_pids=()
declare -A service_settings=()

# answers PORT PATH: a local service answers 200. Plain bash, since a fresh machine may have no curl.
answers() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -r -t 5 _ status _ <&3
    [[ "$status" == 200 ]]
  ) 2>/dev/null
}

# Refuses to start beside services that are already up on the same ports.
ports_free() {
  local port
  for port in "${ports[@]}" "$issuer_port"; do
    if answers "$port" /health/live; then
      echo "$tool: something already answers on port $port (an earlier run kept running?); stop it first" >&2
      exit 1
    fi
  done
}

# build WHAT PROJECT...: one Release build of the four services and these projects (WHAT, in words), through
# a solution filter: the projects' references come with them. The output goes to $logs/build.log.
build() {
  local what=$1 filter="$root/artifacts/$tool.slnf" projects=() project
  shift
  for project in services/{Order,Warranty,RepairDispatch,Arbitration}/*.Service/*.Service.csproj services/Platform.Identity/Platform.Identity.csproj "$@"; do
    projects+=("\"$project\"")
  done
  mkdir -p "$logs"
  printf '{ "solution": { "path": "../Platform.sln", "projects": [ %s ] } }\n' "$(IFS=,; echo "${projects[*]}")" >"$filter"
  echo "$tool: building the services and $what (Release; output in ${logs#"$root/"}/build.log)"
  if ! dotnet build "$filter" -c Release -nologo >"$logs/build.log" 2>&1; then
    grep -E "error|Error" "$logs/build.log" | tail -n 20 >&2
    echo "$tool: the build failed; see $logs/build.log" >&2
    exit 1
  fi
}

# share_clock SPEED: one clock for every process of the run, the same speed from the same origin, so they
# agree on "now".
share_clock() {
  export PLATFORM_CLOCK_SPEED="$1"
  export PLATFORM_CLOCK_ORIGIN="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
}

# start_issuer: the development issuer (services/Platform.Identity) on $issuer_port, and every process of
# the run pointed at it: the services validate its tokens, the simulator and the CLI get theirs from it.
# Plain HTTP on loopback; its signing key stays in PLATFORM_IDENTITY_SIGNING_KEYS between runs. Each caller
# is limited to PLATFORM_RATE_LIMIT_PERMITS requests in 10 s; the simulated parties poll, so the runs allow many.
start_issuer() {
  export PLATFORM_AUTH_AUTHORITY="http://127.0.0.1:$issuer_port/"
  export PLATFORM_AUTH_REQUIRE_HTTPS=false
  export PLATFORM_IDENTITY_SIGNING_KEYS="${PLATFORM_IDENTITY_SIGNING_KEYS:-${TMPDIR:-/tmp}/platform-identity-keys}"
  export PLATFORM_RATE_LIMIT_PERMITS="${PLATFORM_RATE_LIMIT_PERMITS:-100000}"
  : >"$logs/Identity.log"
  (cd "$root/services/Platform.Identity/bin/Release/net10.0" && exec env ASPNETCORE_URLS="$PLATFORM_AUTH_AUTHORITY" PLATFORM_PG_DATABASE="$issuer_database" \
    Logging__LogLevel__Microsoft.AspNetCore=Warning dotnet Platform.Identity.dll) >>"$logs/Identity.log" 2>&1 &
  service_pids[Identity]=$!
  wait_ready Identity 90 "$issuer_port"
  echo "$tool: the issuer ready at $PLATFORM_AUTH_AUTHORITY"
}

# start_service SERVICE: starts it in the background, appending to $logs/SERVICE.log.
start_service() {
  local svc=$1 extra=()
  local bin="$root/services/$svc/$svc.Service/bin/Release/net10.0"
  # Cases are shared out between two arbitrators; the simulator rules as the one each case is assigned to.
  [[ "$svc" == Arbitration ]] && extra=(Arbitration__Arbitrators__0=arb-1 Arbitration__Arbitrators__1=arb-2)
  # shellcheck disable=SC2206
  extra+=(${service_settings[$svc]:-})
  # exec in a subshell: the pid kept is the service's own, so a signal to it reaches the service.
  (cd "$bin" && exec env ASPNETCORE_URLS="http://127.0.0.1:${ports[$svc]}" "${extra[@]}" dotnet "$svc.Service.dll") >>"$logs/$svc.log" 2>&1 &
  service_pids[$svc]=$!
}

# wait_ready SERVICE SECONDS [PORT]: until it answers /health/ready; exits the script if it dies or takes longer.
wait_ready() {
  local svc=$1 end=$((SECONDS + $2)) port=${3:-${ports[$1]}}
  until answers "$port" /health/ready; do
    if ! kill -0 "${service_pids[$svc]}" 2>/dev/null; then
      echo "$tool: $svc exited; the end of $logs/$svc.log:" >&2
      tail -n 20 "$logs/$svc.log" >&2
      exit 1
    fi
    if ((SECONDS >= end)); then
      echo "$tool: $svc is not ready after $2 s; see $logs/$svc.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# Starts the four services with fresh logs and waits until each is ready.
start_services() {
  local svc
  for svc in "${services[@]}"; do
    : >"$logs/$svc.log"
    start_service "$svc"
  done
  for svc in "${services[@]}"; do
    wait_ready "$svc" 90
    echo "$tool: $svc ready at http://127.0.0.1:${ports[$svc]}"
  done
}

stop_services() {
  ((${#service_pids[@]})) || return 0
  echo "$tool: stopping the services"
  local pids=("${service_pids[@]}") pid alive
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # A service finishes the messages in hand within 35 s of SIGTERM; after 40 s it is killed.
  local end=$((SECONDS + 40))
  while ((SECONDS < end)); do
    alive=""
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=yes; done
    [[ -n "$alive" ]] || break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  service_pids=()
}
