#!/usr/bin/env bash
# `make demo`: the simulated OMS (sim/server.mjs) as the reference proxy's real upstream. The two
# share credentials made up for this run: the proxy sends them as HTTP Basic, the simulator
# refuses requests without them. The proxy also serves the demo page, from a folder of the demo's
# own files (scripts/demo-site.mjs), never the checkout. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
export OMS_USERNAME=demo
OMS_PASSWORD=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
export OMS_PASSWORD

site=$(node scripts/demo-site.mjs target/demo-site)
out=$(mktemp)
# stdin from a pipe this script holds: the simulator also stops by itself if the script dies.
exec 3> >(exec node sim/server.mjs --max-seconds=604800 > "$out")
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
sim_port=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).port))' "$out")

# PROXY_ARGS: more flags for the proxy (split on spaces), e.g. "--allow-origin http://127.0.0.1:8000".
read -ra extra <<< "${PROXY_ARGS:-}"
echo "==> simulated OMS on 127.0.0.1:$sim_port (HTTP Basic required); the demo: http://127.0.0.1:$port/ (Ctrl-C stops)"
echo "    task ids: $(node -e 'console.log(require("./sim/scenarios.json").projects.map((p) => p.id).join(" "))')"
./target/release/oms-progress-proxy --listen "127.0.0.1:$port" --upstream "http://127.0.0.1:$sim_port" --static "$site" "${extra[@]}"
