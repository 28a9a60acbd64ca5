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
echo "setup-machine: ready (docker $(docker version --format '{{.Server.Version}}'))"
