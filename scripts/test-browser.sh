#!/usr/bin/env bash
# Runs the component tests (tests/components.rs: the view mounted against a model each test
# feeds) in headless Chromium with wasm-bindgen-test. No server: the view makes no request.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=300
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --target wasm32-unknown-unknown --test components "$@"
