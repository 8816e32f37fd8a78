#!/usr/bin/env bash
# `npm test`: installs everything the tests need on a fresh Debian machine that has only Node 20,
# then runs every check CI runs: lint, unit, build, type check, integration, end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NO_COLOR=1

# Playwright cannot download its browsers here: the end-to-end tests drive Debian's Chromium.
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian's chromium for the end-to-end tests..."
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium
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
