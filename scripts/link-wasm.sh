#!/usr/bin/env bash
# The linker of the release package (scripts/build.sh): rust-lld as wasm-ld, minus the exports of
# wasm-streams' IntoUnderlying* classes. Leptos's server_fn links wasm-streams, whose
# #[wasm_bindgen] classes rustc exports from every cdylib; nothing in the card uses them, and as
# exports they keep their code, an async executor's worth of futures and core::fmt alive. Without
# the exports the linker's own garbage collection drops all of it, soundly.
set -euo pipefail
lld="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-lld"
args=()
for arg in "$@"; do
  if [[ $arg == @* ]]; then
    # rustc may pass the arguments in a response file, one per line.
    mapfile -t lines < "${arg:1}"
    args+=("${lines[@]}")
  else
    args+=("$arg")
  fi
done
kept=()
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ ${args[i]} == --export && ${args[i+1]:-} =~ [Ii]nto[Uu]nderlying|intounderlying ]]; then
    i=$((i + 1))
    continue
  fi
  kept+=("${args[i]}")
done
exec "$lld" "${kept[@]}"
