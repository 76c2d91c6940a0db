#!/usr/bin/env bash
# Sustained ingest on this machine: N signed agents against serversan-server (SQLite, acks after
# commit), then the same load generator against a plain HTTP sink (nginx `return 204;`) for the
# baseline, and the ratio. Figures only.
#   bench/ingest_bench.sh [BUILD_DIR=build/release] [AGENTS=200] [CONNECTIONS=200] [SECONDS=10]
#   ALERTS=1 bench/ingest_bench.sh ...: with the alert engine and ten rules per server, against
#   the same run with alerts off (docs/alerts.md, "Cost on the ingest").
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

# setup DIR [OWNER]: AGENTS servers (owned by chat OWNER if given) in DIR, their tokens in DIR/tokens.
setup() {
	for i in $(seq 1 "$AGENTS"); do
		"$SERVER" --data-dir "$1" server add --name "load-$i" ${2:+--owner "$2"} --token-only
	done >"$TMP/tokens.tmp"
	mv "$TMP/tokens.tmp" "$1/tokens"
}
# serve DIR [ENV...]: the server on $PORT over DIR; the load generator against it, into DIR/run.txt.
serve() {
	local dir=$1
	shift
	# One machine plays every agent: the per-address and per-server limits would only measure 429s.
	env SERVERSAN_SERVER_INGEST_RATE_PER_IP=0 SERVERSAN_SERVER_INGEST_RATE_PER_SERVER=0 \
		SERVERSAN_SERVER_INGEST_MAX_CONNECTIONS_PER_IP=100000 "$@" \
		"$SERVER" --data-dir "$dir" --log-level warn serve --listen "127.0.0.1:$PORT" &
	local pid=$!
	PIDS+=($pid)
	for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
	"$LOADGEN" --url "http://127.0.0.1:$PORT" --tokens "$dir/tokens" --connections "$CONNS" --seconds "$SECS" |
		tee "$dir/run.txt"
	curl -fsS "http://127.0.0.1:$PORT/metrics" | grep '^serversan_alerts_' || true
	kill -TERM "$pid"
	wait "$pid" || true
}

# ALERTS=1: the alert engine's cost (issue 20: within 10 %). Every server belongs to one chat
# whose rules turn on the three kinds that are off by default, so ten kinds apply to each server
# (cpu ram swap disk inodes load net_in net_out io temp, per device where they have devices). The
# same setup runs with alerts.enabled = false, then true. The reports stay under the thresholds:
# the steady cost, not a storm of notices. (The rules go in with sqlite3: no CLI writes rules.)
if [ -n "${ALERTS:-}" ]; then
	CHAT=1001
	# off, on, on, off: whichever runs second on a busy machine gains a little (warm caches), so
	# each side runs once in each position and the ratio compares the sums.
	RUNS="off1 on1 on2 off2"
	for run in $RUNS; do
		mkdir -p "$TMP/$run"
		setup "$TMP/$run" $CHAT
		for metric in net.rx net.tx disk.busy; do
			threshold=104857600
			[ "$metric" != disk.busy ] || threshold=90
			echo "INSERT INTO alert_rules (owner_chat, metric, op, threshold, for_s, created_ms)
				VALUES ($CHAT, '$metric', '>', $threshold, 600, 0);"
		done | sqlite3 "$TMP/$run/serversan.db"
	done
	for run in $RUNS; do
		enabled=false
		[ "${run#on}" = "$run" ] || enabled=true
		echo "== serversan-server, alerts ${run%?} ($AGENTS servers of one chat, ten rules each)"
		serve "$TMP/$run" SERVERSAN_SERVER_ALERTS_ENABLED=$enabled
	done
	python3 - "$TMP" <<'EOT'
import re, sys
rate = lambda r: float(re.search(r"reports/s\s+([\d.]+)", open(f"{sys.argv[1]}/{r}/run.txt").read()).group(1))
off, on = rate("off1") + rate("off2"), rate("on1") + rate("on2")
print(f"alerts: {on/2:.0f} reports/s with ten rules per server / {off/2:.0f} without = {100*on/off:.1f} %")
EOT
	exit 0
fi

mkdir -p "$TMP/data"
setup "$TMP/data"
echo "== serversan-server (SQLite, synchronous=FULL, ack after commit)"
serve "$TMP/data"
cp "$TMP/data/run.txt" "$TMP/server.txt"

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
