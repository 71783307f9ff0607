#!/usr/bin/env bash
# Builds the playground into web/dist/ and serves it on http://127.0.0.1:8080.
# On a fresh machine it first installs what the build needs (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-web.sh
exec python3 scripts/serve.py "$@"
