#!/usr/bin/env bash
# The optimization of a wasm-bindgen build, in place: `scripts/optimize-wasm.sh WASM`.
# Used by scripts/build.sh for the package and by bench/floor/build.sh for the cold-start floor,
# so that both are built alike. wasm-opt comes from npm binaryen (never Debian's: TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm="$1"

# Besides -Oz: --low-memory-unused (nothing lives in the first 1 KiB: the stack is there, and it
# would have to be full; lets constant address offsets fold into loads and stores),
# --flatten --rereloop between two -Oz (rebuilds the control flow; a few hundred bytes smaller
# after the second -Oz), --merge-similar-functions first (functions that differ only in constants
# become one, with the constants as parameters) and --gufa-optimizing -Oz last (constants and
# exact types inferred through the whole module's flow), --converge (repeat until the size stops
# shrinking), and no producers / target_features sections (metadata no runtime reads).
node_modules/.bin/wasm-opt --merge-similar-functions -Oz --flatten --rereloop -Oz --gufa-optimizing -Oz \
  --converge --low-memory-unused \
  --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  "$wasm" -o "$wasm"
