#!/bin/sh
# Browser tests of the web app: Playwright (npm playwright-core) driving
# Debian's chromium headless against a real `mindcards serve`.
# usage: run.sh MINDCARDS_BINARY BUILD_DIR
# Installs chromium (apt-get, as root) and playwright-core (npm, into
# BUILD_DIR/browser-deps) when missing; exits 77 (skipped) when it cannot.
set -eu
bin=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIP: $*"; exit 77; }

command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
if [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" = 0 ] || skip "chromium is missing and we are not root to install it"
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1 ||
    skip "apt-get install chromium failed"
fi
deps=$build/browser-deps
if [ ! -f "$deps/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$deps"
  [ -f "$deps/package.json" ] || echo '{"private": true}' > "$deps/package.json"
  (cd "$deps" && npm install --silent --no-audit --no-fund playwright-core@1.65.1) >/dev/null 2>&1 ||
    skip "npm install playwright-core failed (offline?)"
fi
mkdir -p "$build/screenshots"
exec node "$here/app_test.mjs" "$bin" "$deps" "$build/screenshots" \
  "$here/../../examples/peaceful-coexistence.txt"
