#!/usr/bin/env bash
# Builds pyward and shows it on the bundled example. The browser playground that this command
# will build and serve on http://127.0.0.1:8080 is the next milestone; until then this runs the
# same engine through the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin pyward
./target/release/pyward scan examples/flask_shop.py --exit-zero "$@"
