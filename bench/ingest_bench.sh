#!/usr/bin/env bash
# Sustained ingest on this machine: N signed agents against serversan-server (SQLite, acks after
# commit), then the same load generator against a plain HTTP sink (nginx `return 204;`) for the
# baseline, and the ratio. Figures only.
#   bench/ingest_bench.sh [BUILD_DIR=build/release] [AGENTS=200] [CONNECTIONS=200] [SECONDS=10]
set -euo pipefail
BUILD=${1:-build/release}
AGENTS=${2:-200}
CONNS=${3:-200}
SECS=${4:-10}
SERVER=$BUILD/serversan/server/serversan-server
LOADGEN=$BUILD/bench/serversan-loadgen
TMP=$(mktemp -d /tmp/serversan-bench.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

for i in $(seq 1 "$AGENTS"); do
	"$SERVER" --data-dir "$TMP/data" server add --name "load-$i" --token-only
done >"$TMP/tokens"
# One machine plays every agent: the per-address and per-server limits would only measure 429s.
SERVERSAN_SERVER_INGEST_RATE_PER_IP=0 SERVERSAN_SERVER_INGEST_RATE_PER_SERVER=0 SERVERSAN_SERVER_INGEST_MAX_CONNECTIONS_PER_IP=100000 \
	"$SERVER" --data-dir "$TMP/data" --log-level warn serve --listen "127.0.0.1:$PORT" &
PIDS+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

echo "== serversan-server (SQLite, synchronous=FULL, ack after commit)"
"$LOADGEN" --url "http://127.0.0.1:$PORT" --tokens "$TMP/tokens" --connections "$CONNS" --seconds "$SECS" |
	tee "$TMP/server.txt"

if command -v nginx >/dev/null 2>&1; then
	SINK=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	mkdir -p "$TMP/nginx"
	cat >"$TMP/nginx/nginx.conf" <<EOT
daemon off; worker_processes auto; pid $TMP/nginx/pid; error_log $TMP/nginx/error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx;
  fastcgi_temp_path $TMP/nginx; uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;
  server { listen 127.0.0.1:$SINK; location / { return 204; } } }
EOT
	nginx -c "$TMP/nginx/nginx.conf" &
	PIDS+=($!)
	sleep 0.5
	echo "== nginx return 204 (baseline, same load generator, same bodies unsigned)"
	"$LOADGEN" --url "http://127.0.0.1:$SINK" --sink --connections "$CONNS" --seconds "$SECS" | tee "$TMP/sink.txt"
	# The issue's own baseline: wrk -t2 -c64 POSTing a 1,156-byte JSON body (shared/research/perf-anchors.md).
	if command -v wrk >/dev/null 2>&1; then
		head -c 1156 /dev/zero | tr '\0' 'x' >"$TMP/body.json"
		cat >"$TMP/post.lua" <<EOT
local f = io.open("$TMP/body.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
EOT
		echo "== nginx return 204 (wrk -t2 -c64, 1,156-byte POSTs, as perf-anchors.md measured it)"
		wrk -t2 -c64 -d"${SECS}s" -s "$TMP/post.lua" "http://127.0.0.1:$SINK/report" | tee "$TMP/wrk.txt"
	fi
	python3 - "$TMP/server.txt" "$TMP/sink.txt" "$TMP/wrk.txt" <<'EOT'
import os, re, sys
def rate(p, key):
    m = re.search(key + r"\s+([\d.]+)", open(p).read()) if os.path.exists(p) else None
    return float(m.group(1)) if m else None
s, b, w = rate(sys.argv[1], "reports/s"), rate(sys.argv[2], "requests/s"), rate(sys.argv[3], "Requests/sec:")
print(f"ratio: {s:.0f} reports/s / {b:.0f} sink requests/s (same load generator) = {100*s/b:.1f} %")
if w:
    print(f"ratio: {s:.0f} reports/s / {w:.0f} sink requests/s (wrk) = {100*s/w:.1f} %")
EOT
else
	echo "(nginx not installed: apt-get install nginx-light wrk for the baseline)"
fi
