#!/usr/bin/env bash
# Runs every test: unit tests, the rule fixture harness, CLI and robustness tests, and a build
# of the engine for wasm32-unknown-unknown. Installs what it needs on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  echo "== installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

echo "== cargo test (workspace)"
cargo test --workspace --locked

echo "== engine and wasm crate build for wasm32-unknown-unknown"
cargo build --locked --release --target wasm32-unknown-unknown -p pyward-engine -p pyward-wasm

echo "== all tests passed"
