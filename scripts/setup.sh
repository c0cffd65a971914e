#!/usr/bin/env bash
# Installs every tool the other make targets need, on a fresh Debian 12 host.
# Idempotent: each step checks first and says so; a second run takes seconds.
# Why each step looks the way it does: docs/toolchain.md.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export PATH="$HOME/.cargo/bin:$PATH"

# --- 1. A Rust toolchain with every piece the wasm builds use ---------------------------
# The wasm32 std, the std sources (the release build recompiles std for size) and rust-lld:
# scripts/wasm-toolchain.sh checks them all. rustup gets what its default toolchain lacks where
# it can download; where it cannot, rustup hangs, hence the timeouts. What rustup cannot give,
# Debian's rustc-web gives (section 3).
step "wasm32 toolchain"
if ! scripts/wasm-toolchain.sh >/dev/null; then
  scripts/wasm-toolchain.sh --explain 2>&1 | sed 's/^/    /' || true
  sysroot=$(rustc --print sysroot)
  if ! compgen -G "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null; then
    echo "    rustup target add wasm32-unknown-unknown (at most 60 s)"
    timeout 60 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || echo "    rustup could not get the target"
  fi
  if [ ! -f "$sysroot/lib/rustlib/src/rust/library/Cargo.lock" ]; then
    echo "    rustup component add rust-src (at most 60 s)"
    timeout 60 rustup component add rust-src >/dev/null 2>&1 || echo "    rustup could not get rust-src"
  fi
fi
debian_fallback=false
scripts/wasm-toolchain.sh >/dev/null || debian_fallback=true

# --- 2. Debian packages -------------------------------------------------------------
# chromium + chromium-driver: browser tests; fonts-wqy-microhei: Chinese text in screenshots.
# nginx + wrk: the proxy benchmark baseline.
# rustc-web & co: the wasm32 fallback toolchain, only when rustup's cannot build the wasm.
apt_missing=()
want_apt=(chromium chromium-driver fonts-wqy-microhei nginx-light wrk)
if $debian_fallback; then
  want_apt+=(rustc-web cargo-web rust-web-src lld-22)
fi
for p in "${want_apt[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || apt_missing+=("$p")
done
step "Debian packages"
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "    installing: ${apt_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi
ok "${want_apt[*]}"

# --- 3. The Debian fallback: rustc-web with a wasm32 std built from its own sources ----------
if $debian_fallback; then
  step "wasm32 toolchain from Debian's rustc-web"
  sysroot=/usr/lib/rustlib/wasm32-unknown-unknown/lib
  # libtest too (beyond the rustup target's std): the wasm-bindgen-test harness links it.
  if ! ls "$sysroot"/libstd-*.rlib "$sysroot"/libtest-*.rlib >/dev/null 2>&1; then
    echo "    building the wasm32 std and test crates from Debian's rust-web-src (about a minute)"
    tmp=$(mktemp -d)
    (
      cd "$tmp" && /usr/bin/cargo new --lib stdbuild -q && cd stdbuild
      RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" \
        /usr/bin/cargo build -q --release --target wasm32-unknown-unknown \
        -Zbuild-std=std,panic_abort,panic_unwind,test
      # Replace the whole set: the crates refer to each other by hash.
      $SUDO rm -rf "$sysroot" && $SUDO mkdir -p "$sysroot"
      $SUDO cp target/wasm32-unknown-unknown/release/deps/*.rlib "$sysroot"/
      $SUDO rm -f "$sysroot"/libstdbuild-*.rlib
    )
    rm -rf "$tmp"
  fi
  $SUDO mkdir -p /usr/lib/rustlib/x86_64-unknown-linux-gnu/bin
  $SUDO ln -sf /usr/lib/llvm-22/bin/lld /usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld
  if ! rustup toolchain list | grep -q '^wasm-debian'; then
    rustup toolchain link wasm-debian /usr
  fi
fi
if ! toolchain=$(scripts/wasm-toolchain.sh); then
  scripts/wasm-toolchain.sh --explain || true
  echo "no toolchain can build the wasm (see above and docs/toolchain.md)" >&2
  exit 1
fi
ok "$toolchain builds the wasm ($(RUSTUP_TOOLCHAIN=$toolchain rustc --version))"

# --- 4. wasm-bindgen CLI, pinned to the crate version in Cargo.lock (also the test runner) -------------------
step "wasm-bindgen-cli"
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then echo "Cargo.lock has no wasm-bindgen entry" >&2; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  echo "    cargo install wasm-bindgen-cli $wb_version (about 3 minutes)"
  cargo +stable install -q --force wasm-bindgen-cli --version "=$wb_version"
fi
ok "wasm-bindgen $wb_version"

# --- 5. npm dev tools (binaryen's wasm-opt, playwright-core, axe-core) ----------------
step "npm dev tools"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi
ok "$(node_modules/.bin/wasm-opt --version)"

step "setup complete"
