#!/usr/bin/env bash
# Builds the playground into web/dist/: the engine (worker) and the Yew app as WebAssembly,
# the CodeMirror bundle, and the static files.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

OUT=web/dist
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== cargo build (wasm32): engine (profile wasm-release) and app (profile wasm-release-ui)"
cargo build --locked --profile wasm-release --target wasm32-unknown-unknown -p pyward-wasm
cargo build --locked --profile wasm-release-ui --target wasm32-unknown-unknown -p pyward-web

echo "== wasm-bindgen + wasm-opt"
for build in wasm-release/pyward_wasm wasm-release-ui/pyward_web; do
  crate=$(basename "$build")
  wasm-bindgen --target web --no-typescript --out-dir "$OUT" "target/wasm32-unknown-unknown/$build.wasm"
  # binaryen 132 from npm: Debian's binaryen 108 rejects `table.fill`.
  web/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$OUT/${crate}_bg.wasm" "$OUT/${crate}_bg.wasm"
done

echo "== editor bundle"
node web/editor/build.mjs "$OUT/editor.js"

cp web/index.html web/style.css web/main.js web/worker.js web/favicon.svg "$OUT/"
echo "== built $OUT:"
for f in "$OUT"/*.wasm "$OUT"/*.js "$OUT"/*.css; do
  printf '   %-28s %8d bytes, %7d gzipped\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
