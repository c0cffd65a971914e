#!/usr/bin/env bash
# Proxy throughput and latency on loopback, measured with wrk in one run:
#   oms-progress-proxy (answers served from its TTL cache)  vs  nginx doing plain proxy_pass
#   vs  nginx with proxy_cache + proxy_cache_lock (POST bodies in the key, the same 2 s TTL),
# all in front of the same upstream: the simulated OMS's answer for one task (sim/oms.js),
# served by an nginx block so that the upstream costs none of them anything. Then the proxy's
# cached answers while six clients download a 200 MB static file, what an insert into its
# cache costs at 100 and at 100 000 held ids (proxy/examples/cache_cost.rs), and what a page of
# a list filtered by access rules costs it (proxy/examples/filtered_list.rs).
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
up=$(free_port); ngx=$(free_port); ngc=$(free_port); prx=$(free_port); prs=$(free_port)
id=np_5k2m9q_oracle_billing
answer=$(node --input-type=module -e '
  import fs from "node:fs";
  import { createSimulator } from "./sim/oms.js";
  const { actions, limits } = JSON.parse(fs.readFileSync("api/actions.json", "utf8"));
  const sim = createSimulator(JSON.parse(fs.readFileSync("sim/scenarios.json", "utf8")), { actions, limits });
  process.stdout.write(JSON.stringify(sim.answer("DescribeProjectProgress", process.argv[1]).body));' "$id")

mkdir -p "$work/nginx/logs" "$work/nginx/cache" "$work/nginx/temp" "$work/static"
# nginx's workers run as another user when started as root: let them write their cache.
chmod 755 "$work" && chmod 777 "$work/nginx/cache" "$work/nginx/temp"
# A large static file, as text (so on-the-fly compression would have work to do).
head -c 200M < <(yes "a large static file the proxy serves beside its API, compressible text") > "$work/static/large.txt"
sync # written out now, not while the others are measured
# Both nginx configurations forward as the proxy does: the credentials added, cookies dropped.
forward='proxy_pass http://oms; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Authorization "Basic YmVuY2g6YmVuY2g="; proxy_hide_header Set-Cookie;
      add_header Cache-Control no-store;'
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
      $forward
    }
  }
  # The fair baseline: nginx caching answers for 2 s with one upstream call at a time per key,
  # at its best: while one request refreshes an expired entry, the others get the stale one
  # (which oms-progress-proxy never serves) instead of waiting on the lock's 500 ms polls.
  proxy_cache_path $work/nginx/cache keys_zone=oms:10m;
  proxy_temp_path $work/nginx/temp;
  server {
    listen 127.0.0.1:$ngc;
    location = /api/v2 {
      $forward
      proxy_cache oms;
      proxy_cache_methods POST;
      proxy_cache_key "\$request_uri|\$request_body";
      proxy_cache_valid 200 2s;
      proxy_cache_lock on;
      proxy_cache_use_stale updating;
      proxy_cache_background_update on;
      proxy_ignore_headers Cache-Control Expires Set-Cookie;
      client_body_buffer_size 16k;
    }
  }
}
CONF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

OMS_USERNAME=bench OMS_PASSWORD=bench RUST_LOG=warn ./target/release/oms-progress-proxy \
  --listen "127.0.0.1:$prx" --upstream "http://127.0.0.1:$up" --cache-ttl 2 --rate-limit 0 &
pids+=($!)
# The same, also serving the large file.
OMS_USERNAME=bench OMS_PASSWORD=bench RUST_LOG=warn ./target/release/oms-progress-proxy \
  --listen "127.0.0.1:$prs" --upstream "http://127.0.0.1:$up" --cache-ttl 2 --rate-limit 0 --static "$work/static" &
pids+=($!)

for port in $up $ngx $ngc $prx $prs; do
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

# Warm every path, then measure each.
for port in $prx $ngx $ngc $prs; do
  curl -s -o /dev/null -XPOST -H 'Content-Type: application/json' -d "{\"id\":\"$id\"}" "http://127.0.0.1:$port/api/v2?Action=DescribeProjectProgress"
done
read -r p_rps p_p50 p_p99 p_err < <(measure "$prx")
read -r n_rps n_p50 n_p99 n_err < <(measure "$ngx")
read -r c_rps c_p50 c_p99 c_err < <(measure "$ngc")

# Cached answers while six clients download the large file (asking for gzip) over and over.
downloads=()
for _ in 1 2 3 4 5 6; do
  (while true; do curl -s -o /dev/null -H 'Accept-Encoding: gzip, br' "http://127.0.0.1:$prs/large.txt" || break; done) &
  downloads+=($!)
done
read -r d_rps d_p50 d_p99 d_err < <(measure "$prs")
for p in "${downloads[@]}"; do kill "$p" 2>/dev/null || true; done
wait "${downloads[@]}" 2>/dev/null || true

insert=$(cargo run -q --release -p oms-progress-proxy --example cache_cost)
filtered=$(cargo run -q --release -p oms-progress-proxy --example filtered_list)

printf '\nproxy on loopback: wrk -t2 -c%s -d%ss, POST DescribeProjectProgress, one project id\n' "$connections" "$duration"
printf '%-40s %12s %10s %10s %8s\n' "" "requests/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-40s %12s %10s %10s %8s\n' "oms-progress-proxy (cached answers)" "$p_rps" "$p_p50" "$p_p99" "$p_err"
printf '%-40s %12s %10s %10s %8s\n' "nginx proxy_pass (every request upstream)" "$n_rps" "$n_p50" "$n_p99" "$n_err"
printf '%-40s %12s %10s %10s %8s\n' "nginx proxy_cache + proxy_cache_lock" "$c_rps" "$c_p50" "$c_p99" "$c_err"
printf '%-40s %12s %10s %10s %8s\n' "proxy, during six 200 MB downloads" "$d_rps" "$d_p50" "$d_p99" "$d_err"
printf '\ncache insert cost: %s\n' "$insert"
printf 'a page of a list filtered by access rules (ten cached OMS pages read): %s\n' "$filtered"
if [ -n "$json_out" ]; then
  cat > "$json_out" <<JSON
{"proxy": {"requests_per_second": $p_rps, "p50_ms": $p_p50, "p99_ms": $p_p99, "non_2xx": $p_err},
 "nginx": {"requests_per_second": $n_rps, "p50_ms": $n_p50, "p99_ms": $n_p99, "non_2xx": $n_err},
 "nginx_cache": {"requests_per_second": $c_rps, "p50_ms": $c_p50, "p99_ms": $c_p99, "non_2xx": $c_err},
 "during_downloads": {"requests_per_second": $d_rps, "p50_ms": $d_p50, "p99_ms": $d_p99, "non_2xx": $d_err, "downloads": 6, "file_mb": 200},
 "cache_insert": $insert,
 "filtered_list": $filtered,
 "wrk": {"threads": 2, "connections": $connections, "seconds": $duration}}
JSON
fi
