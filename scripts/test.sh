#!/usr/bin/env bash
# Runs every test: unit tests (engine, CLI, wasm API, the playground's state and share links), the
# rule fixture harness, CLI and robustness tests, the wasm32 build of the playground, and the
# browser tests in headless Chromium. Installs what it needs on a fresh machine (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test

echo "== cargo test (workspace)"
cargo test --workspace --locked

echo "== playground build (wasm32: engine worker + Yew app, editor bundle)"
scripts/build-web.sh

echo "== browser tests (headless Chromium)"
node web/tests/run.mjs

echo "== all tests passed"
