#!/usr/bin/env bash
# Installs the system packages poly's tests drive for real (shells, tmux,
# Docker and what builds local base images) and shellcheck for `npm run lint`,
# and starts a Docker engine when none answers. Idempotent; needs root (or sudo) on Debian.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

packages=(zsh fish tmux docker.io debootstrap busybox-static iproute2 procps maven shellcheck xz-utils unzip util-linux postgresql-client redis-server)
# MariaDB for the test mirror: the server's core files, client and backup tool, not mariadb-server,
# whose service scripts would start a MariaDB on the host.
packages+=(mariadb-server-core mariadb-client mariadb-backup)
# The HTTPS proxy tests: curl and openssl check its certificates, headless Chromium
# loads a page with the CA in an NSS database that `poly trust` fills with certutil.
packages+=(curl openssl chromium libnss3-tools fonts-liberation)
# `poly trust`'s system store, tested in a private mount namespace (unshare, nsenter), and its sudo
# question to a user who is not root (setpriv, and script for a terminal).
packages+=(ca-certificates util-linux bsdutils)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-machine: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "setup-machine: starting dockerd"
  $SUDO sh -c 'nohup dockerd >/var/log/poly-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "setup-machine: dockerd did not start"; tail -50 /var/log/poly-dockerd.log; exit 1; }
fi
# Docker Compose v2 as the docker CLI plugin: test/e2e/export runs `docker compose up` on the file
# `poly export compose` writes. Debian packages only the Python Compose 1.29, so it is built from its Go
# module (`go install` refuses that module: its go.mod has exclude directives) and kept in a cache, so
# a second run only copies it (2 s). A cold build (every module downloaded, empty build cache) takes 6 CPU
# minutes: 28 min of wall time measured on 2 cores under a load average of 20+, a few minutes on a quiet machine.
COMPOSE_VERSION=v2.40.3
compose_plugin=/usr/local/lib/docker/cli-plugins/docker-compose
compose_cache="${XDG_CACHE_HOME:-$HOME/.cache}/poly-ci/docker-compose-$COMPOSE_VERSION"
if [ "$(docker compose version --short 2>/dev/null)" != "${COMPOSE_VERSION#v}" ]; then
  if [ ! -x "$compose_cache" ]; then
    command -v go >/dev/null || { echo "setup-machine: Docker Compose is built with go, which is not on PATH"; exit 1; }
    echo "setup-machine: building Docker Compose $COMPOSE_VERSION"
    compose_src=$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    mkdir -p "$(dirname "$compose_cache")"
    (cd "$compose_src" && go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" -o "$compose_cache.tmp" ./cmd)
    mv "$compose_cache.tmp" "$compose_cache"
  fi
  $SUDO install -D -m 0755 "$compose_cache" "$compose_plugin"
fi
echo "setup-machine: ready (docker $(docker version --format '{{.Server.Version}}'), compose $(docker compose version --short))"
