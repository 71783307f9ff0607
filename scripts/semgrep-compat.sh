#!/usr/bin/env bash
# Semgrep compatibility: runs Semgrep's community Python rules, each on its own annotated test
# file, judged as `semgrep --test` judges (tests/semgrep_compat.rs), and prints the pass count.
#
# The rules (github.com/semgrep/semgrep-rules, folder python/) are under the "Semgrep Rules
# License v1.0", which does not allow redistributing them in a product: they are never committed
# here. This script downloads them into a cache directory when online and reuses that copy.
#
#   scripts/semgrep-compat.sh                 # download (first time) and run
#   SEMGREP_RULES_DIR=/path/to/python scripts/semgrep-compat.sh   # use an existing copy
#   SEMGREP_RULES_REF=<commit> ...            # pin the rules' revision (default: develop)
#   PYWARD_SEMGREP_MIN=240 ...                # fail below 240 passing rule files
#   SEMGREP_SECURITY_ONLY=1 ...               # only rules under a `security/` folder
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${PYWARD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pyward}"
ref="${SEMGREP_RULES_REF:-develop}"
dir="${SEMGREP_RULES_DIR:-}"
if [ -z "$dir" ]; then
  repo="$cache/semgrep-rules"
  if [ ! -d "$repo/.git" ]; then
    mkdir -p "$cache"
    git clone --quiet --filter=blob:none --no-checkout https://github.com/semgrep/semgrep-rules "$repo"
    git -C "$repo" sparse-checkout set python
  fi
  git -C "$repo" fetch --quiet origin "$ref" || echo "semgrep-compat: offline, using the cached copy" >&2
  git -C "$repo" checkout --quiet FETCH_HEAD 2>/dev/null || git -C "$repo" checkout --quiet "$ref"
  dir="$repo/python"
fi
if [ -n "${SEMGREP_SECURITY_ONLY:-}" ]; then
  sel="$cache/semgrep-rules-security"
  rm -rf "$sel"
  mkdir -p "$sel"
  (cd "$dir" && find . -path '*/security/*' \( -name '*.yaml' -o -name '*.yml' -o -name '*.py' \) -print0 |
    xargs -0 -I{} cp --parents {} "$sel/")
  dir="$sel"
fi
echo "semgrep-compat: rules from $dir" >&2
PYWARD_SEMGREP_RULES="$dir" cargo test -p pyward-tests --test semgrep_compat community_rules -- --nocapture
