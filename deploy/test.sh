#!/usr/bin/env bash
# Runs every test and prints the totals read from the TRX results as one line: "N passed, N failed".
# The servers come from Testcontainers on a Docker engine: the one DOCKER_HOST names or the default
# socket offers, else one this script starts (installing Debian's docker.io where missing), with
# stand-in images built from Debian's packages where missing (deploy/images; no registry needed).
# One PostgreSQL and one RabbitMQ container serve every test process of the run, and are removed at
# its end. Where no engine can run, the tests use this host's servers (deploy/servers.sh), said loudly.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results" "$root/artifacts/logs"

deadline() { # deadline SECONDS COMMAND...: true once COMMAND succeeds, false when SECONDS pass first
  local end=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < end)) || return 1
    sleep 0.5
  done
}

engine_answers() { docker version >/dev/null 2>&1; }

# A socket of its own, not the default one: the servers.sh of older clones on this machine takes an
# engine on the default socket to mean "use docker compose", which needs a registry.
own_socket=unix:///var/run/platform-docker.sock

docker_engine() {
  if [[ -n "${DOCKER_HOST:-}" ]] && engine_answers; then return 0; fi
  for DOCKER_HOST in unix:///var/run/docker.sock "$own_socket"; do
    export DOCKER_HOST
    if engine_answers; then return 0; fi
  done
  if ! command -v dockerd >/dev/null; then
    echo "test: installing Debian's docker.io"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io debootstrap >/dev/null || return 1
  fi
  command -v docker >/dev/null || return 1
  echo "test: starting a Docker engine on $own_socket (log: /var/log/platform-dockerd.log)"
  # The host's firewall and forwarding stay as they are; ports are published on loopback only.
  # It outlives this script, so that the next run finds it and the images in it.
  setsid dockerd --iptables=false --ip-forward=false --ip-masq=false --ip=127.0.0.1 --host="$own_socket" \
    >/var/log/platform-dockerd.log 2>&1 < /dev/null &
  deadline 60 engine_answers
}

images=""
if docker_engine && images=$(bash "$here/images/build.sh"); then
  read -r postgres_image rabbitmq_image <<<"$(echo $images)"
  run="test-$(date +%s)-$$"
  # Testcontainers 4.17 asks for API 1.44 unless told; Debian's engine speaks 1.41.
  export DOCKER_API_VERSION
  DOCKER_API_VERSION=$(docker version --format '{{.Server.APIVersion}}')
  # Ryuk, the reaper, is an image that cannot be pulled here; this script removes the run's containers.
  export TESTCONTAINERS_RYUK_DISABLED=true
  # Testcontainers sees /.dockerenv and would look for the containers at a gateway address.
  export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
  export PLATFORM_TEST_POSTGRES_IMAGE="$postgres_image" PLATFORM_TEST_RABBITMQ_IMAGE="$rabbitmq_image"
  # Each test project is a test process of its own; a RabbitMQ starts in 5-10 s on 2 cores, so the
  # processes of this run share one container of each kind rather than start one each.
  export PLATFORM_TEST_SHARED_RUN="$run"
  # Their logs are kept in artifacts/logs first: what a server said is how a connection lost mid-test is explained.
  trap 'for c in $(docker ps -aq --filter "label=platform-test-run=$run"); do
          docker logs "$c" >"$root/artifacts/logs/test-server-$(docker inspect -f "{{.Config.Image}}" "$c" | tr "/:" "--").log" 2>&1
        done
        docker rm -f $(docker ps -aq --filter "label=platform-test-run=$run") >/dev/null 2>&1' EXIT
  echo "test: servers from Testcontainers on $DOCKER_HOST ($postgres_image, $rabbitmq_image), shared by run $run"
else
  echo "test: !!! NO DOCKER ENGINE COULD RUN HERE: THE TESTS USE THIS HOST'S SERVERS FROM deploy/servers.sh, NOT TESTCONTAINERS !!!"
  env -u DOCKER_HOST bash "$here/servers.sh" || { echo "0 passed, 1 failed"; exit 1; }
  source "$here/env.sh"
  export PLATFORM_TEST_SERVERS=environment
fi
export PLATFORM_TEST_SERVERS_LOG="$root/artifacts/logs/test-servers.log"
rm -f "$PLATFORM_TEST_SERVERS_LOG"

# The AsyncAPI document is checked by the AsyncAPI parser, which runs on Node.js (the contract tests
# install it with npm ci in tests/asyncapi); they fail, not skip, without it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test: installing Debian's nodejs and npm"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
    || echo "test: !!! Node.js could not be installed: the AsyncAPI check will fail !!!"
fi

# The console's browser tests (tests/Platform.Console.Tests) drive Debian's headless Chromium through
# Playwright, which cannot download a browser of its own here; they fail, not skip, without it.
if [[ ! -x /usr/bin/chromium ]]; then
  echo "test: installing Debian's chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || echo "test: !!! Chromium could not be installed: the console's browser tests will fail !!!"
fi

# promtool checks and tests the alert rules (tests/Platform.Deployment.Tests). Only the binary is
# taken from Debian's prometheus package: installing the package would also start a Prometheus.
if ! command -v promtool >/dev/null; then
  tools="$root/artifacts/tools/prometheus"
  if [[ ! -x "$tools/usr/bin/promtool" ]]; then
    echo "test: taking promtool from Debian's prometheus package"
    download=$(mktemp -d)
    ( cd "$download" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus >/dev/null 2>&1; }; } \
        && mkdir -p "$tools" && dpkg-deb -x prometheus_*.deb "$tools" ) || echo "test: !!! promtool could not be had: the alert rule tests fail !!!"
    rm -rf "$download"
  fi
  [[ -x "$tools/usr/bin/promtool" ]] && export PLATFORM_PROMTOOL="$tools/usr/bin/promtool"
fi

status=0
# The local tools (.config/dotnet-tools.json): Kiota, with which the build of tests/Platform.ApiClients.Tests
# generates a client from each committed OpenAPI document (about 10 s for the four) before compiling it.
dotnet tool restore >/dev/null || { echo "test: the local .NET tools could not be restored"; echo "0 passed, 1 failed"; exit 1; }
dotnet build Platform.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
# Other teams reference the contracts as a package: it must pack from a clean clone.
dotnet pack contracts/Platform.Contracts -c Release --no-build -nologo -v q -o "$root/artifacts/packages" || status=1

# One project at a time, each with a TRX file of its own name; inside a project, test classes
# run in parallel.
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
  # Which servers the test process used: VSTest shows a process's own output only for failed tests.
  if [[ -f "$PLATFORM_TEST_SERVERS_LOG" ]]; then
    sed "s/^/$name: /" "$PLATFORM_TEST_SERVERS_LOG"
    rm -f "$PLATFORM_TEST_SERVERS_LOG"
  fi
done

python3 "$here/trx-summary.py" "$results" || status=1
exit $status
