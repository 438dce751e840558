#!/usr/bin/env bash
# Makes the stand-in images for the tests exist on the Docker engine, building what is missing from
# Debian's packages (no image registry is needed), and prints their names, PostgreSQL's then RabbitMQ's.
# Each name carries a hash of its folder, so a changed Dockerfile is built again and an unchanged one is
# reused in seconds. Progress goes to stderr.
set -euo pipefail
# The legacy builder: Debian's engine has no buildx, and these Dockerfiles need nothing newer.
export DOCKER_BUILDKIT=0
here="$(cd "$(dirname "$0")" && pwd)"
base=platform-test/debian:bookworm

log() { echo "images: $*" >&2; }

# The Debian mirror this machine's apt uses: containers have no other way out.
mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
  [[ -n "$uri" ]] || uri=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -v security | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

if ! docker image inspect "$base" >/dev/null 2>&1; then
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  log "building $base with debootstrap from $(mirror)"
  debootstrap --variant=minbase bookworm "$root" "$(mirror)" >/dev/null
  tar -C "$root" -c . | docker import - "$base" >/dev/null
fi

for server in postgres rabbitmq; do
  tag=$(cd "$here/$server" && find . -type f | sort | xargs cat | sha256sum | cut -c1-12)
  image="platform-test/$server:$tag"
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    log "building $image"
    # The containers of a build have no way out but the host's own network, to reach the mirror.
    if ! output=$(docker build --network=host --build-arg "BASE=$base" -t "$image" "$here/$server" 2>&1); then
      echo "$output" >&2
      exit 1
    fi
  fi
  echo "$image"
done
