# oms-progress-card: every command works on a fresh Debian 12 host; each runs `make setup`
# first, which returns in seconds once the tools are installed.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# The toolchain with every piece the wasm builds use (target, rust-src, rust-lld): rustup's
# default, else the one `make setup` links from Debian's rustc-web (scripts/wasm-toolchain.sh,
# docs/toolchain.md). Expanded when a recipe runs, after `make setup`.
WASM_TOOLCHAIN = $(shell ./scripts/wasm-toolchain.sh)
WASM = RUSTUP_TOOLCHAIN=$(WASM_TOOLCHAIN)
PORT ?= 8080

.PHONY: help setup build example demo test test-native test-browser test-e2e screenshots bench lighthouse size clean

help:
	@echo "make setup   install every tool the other targets need (idempotent)"
	@echo "make build   build the release npm package into pkg/"
	@echo "make demo    build, then serve the demo on http://127.0.0.1:$(PORT)/ (PROXY_ARGS=\"...\": more proxy flags)"
	@echo "make test    run every test: native, browser (wasm), end to end"
	@echo "make bench   measure size, speed and memory beside a vanilla element and nginx"
	@echo "make screenshots   refresh the README's pictures in docs/"
	@echo "make lighthouse    Lighthouse's performance audit of the demo page (mobile, desktop)"
	@echo "make size    what each part of the wasm weighs (twiggy)"

setup:
	@./scripts/setup.sh

build: setup
	@echo "==> release build of the npm package (pkg/)"
	$(WASM) ./scripts/build.sh
	@./scripts/report-size.sh pkg

demo: build
	@echo "==> building the reference proxy"
	cargo build --release -p oms-progress-proxy
	PORT=$(PORT) PROXY_ARGS="$(PROXY_ARGS)" ./scripts/demo.sh

test: setup test-native test-browser test-e2e

test-native:
	@echo "==> native tests"
	cargo test -p oms-progress-api -p oms-progress-card -p oms-progress-proxy
	node --test tests/surface.test.mjs tests/fields.test.mjs tests/intl.test.mjs

example: setup
	@echo "==> the Leptos example app (examples/dashboard)"
	$(WASM) cargo build --target wasm32-unknown-unknown -p oms-dashboard-example
	wasm-bindgen --target web --out-dir examples/dashboard/pkg target/wasm32-unknown-unknown/debug/oms-dashboard-example.wasm

test-browser:
	@echo "==> component tests (wasm-bindgen-test in headless Chromium)"
	$(WASM) ./scripts/test-browser.sh

test-e2e: build example
	@echo "==> end-to-end tests (Playwright + Chromium)"
	cargo build -p oms-progress-proxy
	node --test --test-concurrency=1 tests/e2e/

screenshots: build
	node scripts/screenshots.mjs

bench: build
	@echo "==> benchmarks (a few minutes)"
	cargo build --release -p oms-progress-proxy
	node bench/run.mjs

lighthouse: build
	@echo "==> Lighthouse on the demo page (needs npm's registry the first time)"
	cargo build --release -p oms-progress-proxy
	node bench/lighthouse.mjs

size: setup
	PROFILE=profiling $(WASM) ./scripts/build.sh
	wasm-bindgen --target web --keep-debug --out-dir target/size target/wasm32-unknown-unknown/profiling/oms_progress_card.wasm
	wasm-opt --low-memory-unused --flatten --rereloop -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue target/size/oms_progress_card_bg.wasm -o target/size/optimized.wasm
	cargo install --list | grep -q '^twiggy ' || cargo +stable install -q twiggy
	twiggy top -n 100000 -f csv target/size/optimized.wasm > target/size/items.csv
	python3 scripts/size-breakdown.py target/size/items.csv

clean:
	cargo clean
	rm -rf pkg target/size
