#!/usr/bin/env bash
# Installs what building and testing the playground needs on a fresh machine. Idempotent: each
# step is skipped when its tool is already there.
#   scripts/setup.sh          build tools (wasm32 target, wasm-bindgen-cli, npm packages)
#   scripts/setup.sh --test   also Chromium (Debian package) for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "== rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  echo "== cargo install wasm-bindgen-cli $WB_VERSION (about 4 minutes)"
  # Not --locked: the CLI's own lockfile names a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

for dir in web web/editor; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "== npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  echo "== apt-get install chromium"
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
