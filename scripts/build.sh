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

# The glue imports the package's own modules (../errors.js, ../json.js, ../gate-client.js) as
# they are: nothing of wasm-bindgen's output is rewritten.
if [ -d pkg/gen/snippets ] || ! grep -q "from '../errors.js'" pkg/gen/page_conversations.js; then
  echo "build.sh: the glue does not import the package's own modules (../errors.js)" >&2
  exit 1
fi

scripts/optimize-wasm.sh pkg/gen/page_conversations_bg.wasm
ls -l pkg/gen/page_conversations_bg.wasm | awk '{print "pkg/gen/page_conversations_bg.wasm: " $5 " bytes"}'

# The published package carries the repository's README, LICENSE and CHANGELOG (git-ignored copies).
cp README.md LICENSE CHANGELOG.md pkg/
