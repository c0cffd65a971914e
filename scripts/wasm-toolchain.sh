#!/usr/bin/env bash
# Prints the rustup toolchain that builds the wasm (the Makefile's RUSTUP_TOOLCHAIN), after
# checking every piece the builds use; exits 1 when no toolchain has them all. Downloads nothing
# (`make setup` gets what is missing, then asks again).
#   - the wasm32-unknown-unknown std (and libtest, which wasm-bindgen-test links);
#   - the std sources (rust-src): the release build recompiles std for size (-Zbuild-std);
#   - rust-lld, the wasm linker (scripts/link-wasm.sh).
# rustup's default toolchain when it has them all, else `wasm-debian` (Debian's rustc-web, linked
# by `make setup`; docs/toolchain.md).
#   scripts/wasm-toolchain.sh [--explain]   --explain: say on stderr what each lacks
set -uo pipefail
explain=false
[ "${1:-}" = --explain ] && explain=true

# Whether the toolchain `name` has every piece; says what it lacks with --explain.
complete() {
  local name=$1 sysroot host missing=()
  sysroot=$(RUSTUP_TOOLCHAIN=$name rustc --print sysroot 2>/dev/null) || { $explain && echo "$name: not installed" >&2; return 1; }
  host=$(RUSTUP_TOOLCHAIN=$name rustc -vV 2>/dev/null | sed -n 's/^host: //p')
  compgen -G "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null || missing+=("the wasm32-unknown-unknown target")
  compgen -G "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libtest-*.rlib" >/dev/null || missing+=("libtest for wasm32")
  [ -f "$sysroot/lib/rustlib/src/rust/library/Cargo.lock" ] || missing+=("rust-src (the std sources)")
  [ -x "$sysroot/lib/rustlib/$host/bin/rust-lld" ] || missing+=("rust-lld")
  if [ ${#missing[@]} -gt 0 ]; then
    $explain && echo "$name lacks: $(IFS=,; echo "${missing[*]}" | sed 's/,/, /g')" >&2
    return 1
  fi
}

default=$(rustup show active-toolchain 2>/dev/null | awk '{print $1; exit}')
for name in "$default" wasm-debian; do
  if [ -n "$name" ] && complete "$name"; then
    echo "$name"
    exit 0
  fi
done
exit 1
