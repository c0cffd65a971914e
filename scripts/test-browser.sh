#!/usr/bin/env bash
# Runs the wasm-bindgen browser tests (tests/browser.rs) in headless Chromium against the
# fixture server, which this script starts on 127.0.0.1 and stops by its process id.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp)
# stdin from a pipe we hold: the fixture also exits by itself if this script dies.
exec 3> >(node tests/fixture/server.mjs --max-seconds=1200 > "$out")
fixture_pid=$!
trap 'kill "$fixture_pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
port=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).port))' "$out")

export OMS_FIXTURE_URL="http://127.0.0.1:$port"
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=300
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --target wasm32-unknown-unknown --test browser "$@"
