#!/usr/bin/env bash
# Builds the playground into web/dist/: the engine (worker) and the Yew app as WebAssembly,
# the CodeMirror bundle, and the static files.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# PYWARD_DIST (also read by bench/web.mjs) and CARGO_TARGET_DIR move the output and cargo's
# target directory.
OUT=${PYWARD_DIST:-web/dist}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== cargo build (wasm32, profile wasm-release): engine and app"
# Both crates are also `rlib`s (for native tests), and when rustc emits an rlib and a cdylib in one
# go it silently skips the profile's `lto = true` (rust-lang/cargo#9672); `cargo rustc
# --crate-type cdylib` builds only the cdylib, so it gets the link-time optimisation.
# The app: LTO measured -35 KB gzipped (-13%).
# The engine: LTO measured -27 KB gzipped (1,008,645 -> 981,674 bytes) and faster analysis in V8
# (Node 20, best of 7 runs, three rounds): 10,000 lines 247-279 -> 215-227 ms, 1,000 lines 17-19 ->
# 14-16 ms. It used to make V8 run the quadratic statement scan in `Matcher::find_nodes` about 2x
# slower (10,000 lines: 970 ms instead of 480 ms); that scan is now a binary search.
# The engine is built twice. pyward_full has the dependency audit (requirements files,
# pyproject.toml and lock files: pep508_rs, pep440_rs, toml, url); the page loads pyward_wasm,
# built without it, and the worker loads pyward_full only when a dependency file is analysed
# or a review is downloaded (web/worker.js). Both builds stay in cargo's cache.
cargo rustc --locked --profile wasm-release --target wasm32-unknown-unknown -p pyward-wasm --lib --crate-type cdylib
cp "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/pyward_wasm.wasm" "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/pyward_full.wasm"
cargo rustc --locked --profile wasm-release --target wasm32-unknown-unknown -p pyward-wasm --no-default-features --lib --crate-type cdylib
cargo rustc --locked --profile wasm-release --target wasm32-unknown-unknown -p pyward-web --lib --crate-type cdylib

echo "== wasm-bindgen + wasm-opt"
for build in wasm-release/pyward_wasm wasm-release/pyward_full wasm-release/pyward_web; do
  crate=$(basename "$build")
  wasm-bindgen --target web --no-typescript --out-dir "$OUT" "$TARGET_DIR/wasm32-unknown-unknown/$build.wasm"
  # binaryen 132 from npm: Debian's binaryen 108 rejects `table.fill`. --low-memory-unused: the
  # bottom 1 KiB of linear memory is never addressed through a wrapped pointer (Rust puts the
  # stack first, the data at 1 MiB), so constant offsets fold into loads and stores. The
  # producers and target-features sections only matter to tools, not to browsers.
  web/node_modules/.bin/wasm-opt -Oz --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$OUT/${crate}_bg.wasm" "$OUT/${crate}_bg.wasm"
done

echo "== editor bundle"
node web/editor/build.mjs "$OUT/editor.js"

# _headers: the security headers for static hosts that read it (web/DEPLOY.md).
cp web/index.html web/style.css web/main.js web/boot.js web/share.js web/worker.js web/favicon.svg web/_headers "$OUT/"
# The dependency audit's data: separate same-origin files the worker fetches only when a
# dependency file is analysed (outside the page's size budget; bench/web.mjs prints them apart).
cp crates/engine/data/advisories.tsv crates/engine/data/popular.txt "$OUT/"
# The Unicode name table for `\N{...}` escapes: left out of the engine's wasm, fetched by the
# worker only for a text with `\N{` (crates/unicode-names2-lite).
cargo run --locked --release --quiet -p unicode_names2 --bin unicode-names-table -- "$OUT/unicode-names.bin"
echo "== minify the glue, scripts and style sheet"
node web/editor/minify.mjs "$OUT"
echo "== built $OUT:"
for f in "$OUT"/*.wasm "$OUT"/*.js "$OUT"/*.css; do
  printf '   %-28s %8d bytes, %7d gzipped\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
for f in "$OUT"/advisories.tsv "$OUT"/popular.txt; do
  printf '   %-28s %8d bytes, %7d gzipped (fetched only for dependency files)\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
f="$OUT"/unicode-names.bin
printf '   %-28s %8d bytes, %7d gzipped (fetched only for code with \\N{...})\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
