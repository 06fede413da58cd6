#!/usr/bin/env bash
# Builds the cold-start floor (bench/floor) into target/floor/pkg exactly as scripts/build.sh
# builds the package: cargo release for wasm32, the pinned wasm-bindgen CLI, scripts/optimize-wasm.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_TARGET_DIR=target/floor cargo build --release --target wasm32-unknown-unknown --manifest-path bench/floor/Cargo.toml
rm -rf target/floor/pkg
wasm-bindgen --target web --no-typescript --out-dir target/floor/pkg --out-name floor \
  target/floor/wasm32-unknown-unknown/release/page_conversations_bench_floor.wasm
scripts/optimize-wasm.sh target/floor/pkg/floor_bg.wasm
