#!/usr/bin/env bash
# Runs every test: unit tests (engine, CLI, wasm API, the playground's state and share links), the
# rule fixture harness, CLI and robustness tests, the wasm32 build of the playground, and the
# browser tests in headless Chromium. Installs what it needs on a fresh machine (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test

# pre-commit (PyPI) for the hook test in tests/cliops.rs, which is skipped without it.
if ! command -v pre-commit >/dev/null && [ ! -x "$HOME/.local/bin/pre-commit" ]; then
  echo "== pip install --user pre-commit"
  python3 -m pip install --user --quiet pre-commit || echo "(pre-commit not installed: its test will be skipped)"
fi

echo "== cargo test (workspace)"
cargo test --workspace --locked

echo "== playground build (wasm32: engine worker + Yew app, editor bundle)"
scripts/build-web.sh

echo "== browser tests (headless Chromium)"
node web/tests/run.mjs

echo "== all tests passed"
