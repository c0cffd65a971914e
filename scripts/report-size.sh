#!/usr/bin/env bash
# Prints what a page downloads for the widget from a package directory: raw and gzip sizes.
set -euo pipefail
dir=${1:-pkg}
total_raw=0; total_gz=0
while IFS= read -r f; do
  raw=$(stat -c%s "$f"); gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '    %-58s %8d B  %7d B gzip\n' "${f#$dir/}" "$raw" "$gz"
done < <(find "$dir" -type f \( -name '*.wasm' -o -name '*.js' \) ! -name '*.d.ts' | sort)
printf '    %-58s %8d B  %7d B gzip\n' "total downloaded" "$total_raw" "$total_gz"
