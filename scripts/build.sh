#!/usr/bin/env bash
# `make build`: the release npm package in pkg/, built for size. What each step saves is in
# BENCHMARKS.md ("How the figures moved").
#   1. cargo: std rebuilt from the toolchain's own sources for size (optimize_for_size,
#      panic = immediate-abort, no panic locations, no Debug formatting);
#   2. wasm-bindgen --target web;
#   3. scripts/package.mjs: runs wasm-opt, bundles and minifies the JS, and completes the package
#      (types, manifest, README).
# These flags are for the release package only: tests build with the ordinary panic path.
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-unknown-unknown
# The wasm-release profile (Cargo.toml: size first); PROFILE=profiling keeps symbol names, for
# `make size`.
profile=${PROFILE:-wasm-release}
# RUSTC_BOOTSTRAP: -Zbuild-std and the size flags are unstable options of the stable compiler.
# -Csymbol-mangling-version=legacy: bootstrap mode would switch to v0 mangling, whose longer
# names end up in wasm-bindgen's exports. RUSTFLAGS replaces .cargo/config.toml's flags, and
# leaves out its --cfg erase_components on purpose: the card's markup is one static view!, which
# tachys renders smaller typed than type-erased (81.1 -> 76.6 KB gzip of wasm).
# -Clinker: rust-lld without wasm-streams' exports (see scripts/link-wasm.sh).
RUSTC_BOOTSTRAP=1 \
RUSTFLAGS="-Clinker=$PWD/scripts/link-wasm.sh -Zunstable-options -Csymbol-mangling-version=legacy -Zlocation-detail=none -Zfmt-debug=none" \
  cargo build --profile "$profile" --lib --target "$target" \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size -Zpanic-immediate-abort \
    --config "profile.$profile.panic=\"immediate-abort\""
[ "$profile" = wasm-release ] || exit 0

rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --out-dir pkg "target/$target/$profile/oms_progress_card.wasm"
node scripts/package.mjs pkg
