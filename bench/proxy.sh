#!/usr/bin/env bash
# Proxy throughput and latency on loopback, measured with wrk in one run:
#   oms-progress-proxy (answers served from its TTL cache)  vs  nginx doing plain proxy_pass,
# both in front of the same upstream: the simulated OMS's answer for one task (sim/oms.js),
# served by an nginx block so that the upstream costs neither of them anything.
# Prints a table; with --json FILE also writes the figures as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
json_out=""
[ "${1:-}" = "--json" ] && json_out=$2
duration=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-64}

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up=$(free_port); ngx=$(free_port); prx=$(free_port)
id=np_5k2m9q_oracle_billing
answer=$(node --input-type=module -e '
  import fs from "node:fs";
  import { createSimulator } from "./sim/oms.js";
  const sim = createSimulator(JSON.parse(fs.readFileSync("sim/scenarios.json", "utf8")));
  process.stdout.write(JSON.stringify(sim.answer("DescribeProjectProgress", process.argv[1]).body));' "$id")

mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream oms { server 127.0.0.1:$up; keepalive 64; }
  # The fake OMS: a fixed DescribeProjectProgress answer.
  server {
    listen 127.0.0.1:$up;
    location /api/v2 { default_type application/json; return 200 '$answer'; }
  }
  # The baseline: plain proxy_pass with the credentials added.
  server {
    listen 127.0.0.1:$ngx;
    location = /api/v2 {
      proxy_pass http://oms;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Basic YmVuY2g6YmVuY2g=";
      proxy_hide_header Set-Cookie;
      add_header Cache-Control no-store;
    }
  }
}
CONF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

OMS_USERNAME=bench OMS_PASSWORD=bench RUST_LOG=warn ./target/release/oms-progress-proxy \
  --listen "127.0.0.1:$prx" --upstream "http://127.0.0.1:$up" --cache-ttl 2 --rate-limit 0 &
pids+=($!)

for port in $up $ngx $prx; do
  for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
done

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"id":"$id"}'
wrk.headers["Content-Type"] = "application/json"
LUA

# Prints "requests/s p50_ms p99_ms" for one target.
measure() {
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$1/api/v2?Action=DescribeProjectProgress")
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)\b" % label, out, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"{rps:.0f} {ms('50%'):.3f} {ms('99%'):.3f} {errors.group(1) if errors else 0}")
PY
}

# Warm both paths, then measure each.
curl -s -o /dev/null -XPOST -H 'Content-Type: application/json' -d "{\"id\":\"$id\"}" "http://127.0.0.1:$prx/api/v2?Action=DescribeProjectProgress"
curl -s -o /dev/null -XPOST -H 'Content-Type: application/json' -d "{\"id\":\"$id\"}" "http://127.0.0.1:$ngx/api/v2?Action=DescribeProjectProgress"
read -r p_rps p_p50 p_p99 p_err < <(measure "$prx")
read -r n_rps n_p50 n_p99 n_err < <(measure "$ngx")

printf '\nproxy on loopback: wrk -t2 -c%s -d%ss, POST DescribeProjectProgress, one project id\n' "$connections" "$duration"
printf '%-40s %12s %10s %10s %8s\n' "" "requests/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-40s %12s %10s %10s %8s\n' "oms-progress-proxy (cached answers)" "$p_rps" "$p_p50" "$p_p99" "$p_err"
printf '%-40s %12s %10s %10s %8s\n' "nginx proxy_pass (every request upstream)" "$n_rps" "$n_p50" "$n_p99" "$n_err"
if [ -n "$json_out" ]; then
  cat > "$json_out" <<JSON
{"proxy": {"requests_per_second": $p_rps, "p50_ms": $p_p50, "p99_ms": $p_p99, "non_2xx": $p_err},
 "nginx": {"requests_per_second": $n_rps, "p50_ms": $n_p50, "p99_ms": $n_p99, "non_2xx": $n_err},
 "wrk": {"threads": 2, "connections": $connections, "seconds": $duration}}
JSON
fi
