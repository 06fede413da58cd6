#!/usr/bin/env bash
# Builds the npm package in pkg/: cargo (release, wasm32), the pinned wasm-bindgen CLI
# (--target web, into the git-ignored pkg/gen), then wasm-opt -Oz from npm binaryen.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --lib --release --target wasm32-unknown-unknown
rm -rf pkg/gen
wasm-bindgen --target web --no-typescript --out-dir pkg/gen --out-name page_conversations \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/page_conversations.wasm"

# wasm-bindgen copies the package's own modules that Rust imports (pkg/errors.js, pkg/json.js)
# into gen/snippets/; point the glue at the package's files instead, so that the error classes
# users import are the very ones the wasm throws.
glue=pkg/gen/page_conversations.js
# (Only the import statements: the glue also names the modules as keys of the wasm's imports.)
sed -i -E "s#from (['\"])\./snippets/[^'\"]*/pkg/([a-z-]+\.js)(['\"])#from \1../\2\3#g" "$glue"
if grep -Eq "from ['\"]\./snippets" "$glue" || ! grep -q "from '../errors.js'" "$glue"; then
  echo "build.sh: could not point the glue at the package's own modules" >&2
  exit 1
fi
rm -rf pkg/gen/snippets

scripts/optimize-wasm.sh pkg/gen/page_conversations_bg.wasm
ls -l pkg/gen/page_conversations_bg.wasm | awk '{print "pkg/gen/page_conversations_bg.wasm: " $5 " bytes"}'

# The published package carries the repository's README, LICENSE and CHANGELOG (git-ignored copies).
cp README.md LICENSE CHANGELOG.md pkg/
