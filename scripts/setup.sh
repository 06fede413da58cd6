#!/usr/bin/env bash
# Installs what a fresh Debian machine with Rust and Node lacks, and skips what is there.
#   scripts/setup.sh build    wasm32 target, the pinned wasm-bindgen CLI, npm packages
#   scripts/setup.sh browser  Debian's chromium and chromium-driver
set -euo pipefail
cd "$(dirname "$0")/.."

wasm_bindgen_version() { sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
  local want; want="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $want" ]; then
    echo "installing wasm-bindgen-cli $want (a few minutes)"
    # No --locked: the CLI's lockfile names a webpki-roots version the registry lacks.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
  local stamp=node_modules/.package-lock.sha256
  if [ ! -f "$stamp" ] || ! sha256sum --status -c "$stamp" 2>/dev/null; then
    npm ci --no-audit --no-fund
    sha256sum package-lock.json > "$stamp"
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
  fi
}

for step in "$@"; do "setup_$step"; done
