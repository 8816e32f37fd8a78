#!/usr/bin/env bash
# `npm test`: installs everything the tests need on a fresh Debian machine that has only Node 20,
# then runs every check CI runs: lint, unit, build, type check, integration, end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NO_COLOR=1

# What npm cannot install comes from Debian, only when missing: Chromium for the end-to-end tests
# (Playwright cannot download its browsers here), redis-server for the several-instance tests
# (Debian's package does not start a server in a container; the tests start and stop their own) and
# nginx for the test of deploy/nginx.conf (which runs /usr/sbin/nginx itself, on loopback).
apt_packages=()
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  apt_packages+=(chromium)
fi
if ! command -v redis-server >/dev/null 2>&1; then
  apt_packages+=(redis-server)
fi
# By its path: /usr/sbin is not on a non-root user's PATH. Debian's `nginx` package owns it (on
# Debian 12 `nginx-light` is that package plus an echo module the tests do not need).
installing_nginx=""
if [ -z "${NGINX_PATH:-}" ] && [ ! -x /usr/sbin/nginx ]; then
  apt_packages+=(nginx)
  installing_nginx=yes
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian's ${apt_packages[*]} for the tests..."
  # Installing nginx (or redis-server) starts the system's service, nginx on port 80, wherever no
  # /usr/sbin/policy-rc.d forbids starting services (a desktop, a VM). The tests need no service:
  # for the length of the install, a policy that forbids starting any (exit 101), removed
  # afterwards, also when the install fails; and nginx, which the package enables for the next
  # boot, is disabled again where systemd runs.
  added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    trap "$sudo rm -f /usr/sbin/policy-rc.d" EXIT
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod 755 /usr/sbin/policy-rc.d
    added_policy=yes
  fi
  $sudo apt-get update
  # `env` so the variable survives sudo, which resets the environment.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${apt_packages[@]}"
  if [ -n "$added_policy" ]; then
    $sudo rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
  if [ -n "$installing_nginx" ] && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --quiet nginx || true
  fi
fi

step() { printf '\n=== %s\n' "$*"; }

step "npm ci"
npm ci --no-audit --no-fund
step "lint (biome)"
npm run lint
step "unit tests"
npm run test:unit
step "next build"
npm run build
step "type check (after the build, which writes Next's route types)"
npm run typecheck
step "integration tests (next start + fake Douban)"
npm run test:integration
step "end-to-end tests (Playwright + Chromium)"
npm run test:e2e
step "all tests passed"
