#!/usr/bin/env bash
# Runs pyward's fuzz targets with cargo-fuzz (libFuzzer), each for SECONDS (default 60):
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: engine_source rule_yaml markdown
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 allows them on the stable toolchain
# this project builds with. The corpus grows in fuzz/corpus/<target> (not committed); crashes
# are saved in fuzz/artifacts/<target>.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(engine_source rule_yaml markdown)
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== cargo install cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
for t in "${TARGETS[@]}"; do
  echo "== fuzz $t for ${SECONDS_EACH}s"
  mkdir -p "fuzz/corpus/$t"
  # Seed with the rule fixtures and examples (Python), the rule files (YAML), or both (Markdown).
  case "$t" in
    engine_source) cp -n rules/*/*.py examples/*.py "fuzz/corpus/$t/" 2>/dev/null || true ;;
    rule_yaml) cp -n rules/*/*.yaml "fuzz/corpus/$t/" 2>/dev/null || true ;;
    markdown) cp -n README.md rules/README.md "fuzz/corpus/$t/" 2>/dev/null || true ;;
  esac
  cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- -max_total_time="$SECONDS_EACH" -dict=fuzz/python.dict -max_len=65536
done
