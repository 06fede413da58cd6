# page-conversations: the README's two commands are `make demo` and `make test`.
# Each installs what a fresh Debian machine with Rust and Node lacks (scripts/setup.sh).
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: build test demo demo-cli bench fuzz

## build: the npm package in pkg/ (cargo release build for wasm32, wasm-bindgen, wasm-opt -Oz)
build:
	scripts/setup.sh build
	scripts/build.sh

## test: every test, in Node, headless Chromium and workerd (installs what is missing first)
test:
	scripts/test.sh

## demo: the dashboard (www/) on its Worker under wrangler dev, reading the mock Graph (300 conversations); prints the URL
demo: build
	node www/demo.mjs

## demo-cli: starts the mock Graph and prints a page of its inbox through the package, in the terminal
demo-cli: build
	node scripts/demo.mjs

## bench: per page against raw fetch + res.json() in Node, Chromium and workerd, size, cold start,
## full sync, pacing, Worker CPU per page; prints them and writes BENCHMARKS.md (about 3 minutes)
bench: build
	scripts/setup.sh browser
	bench/floor/build.sh
	command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked
	node bench/run.mjs

FUZZ_SECONDS ?= 60
## fuzz: every cargo-fuzz target for FUZZ_SECONDS each (nightly + cargo-fuzz, installed if missing)
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)
