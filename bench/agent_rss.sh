#!/usr/bin/env bash
# The agent's resident memory and CPU in daemon mode after N collections, each report sent over
# HTTPS (mbedTLS, keep-alive) to a local endpoint, for each agent binary given; and the binaries'
# sizes. Figures, not assertions (the goals are in issue 11: VmRSS <= 2 MiB for the agent-static
# build, stripped binary <= 2 MB).
#
#   bench/agent_rss.sh [N [INTERVAL]]          defaults: 1000 collections, 0.1 s apart (the shortest interval)
#
# Environment:
#   AGENTS       "label=path ..." (default: release and agent-static builds, whichever exist)
#   RSS_SERVER   the HTTPS endpoint, bench_agent_rss_server (default: the first build/*/bench one)
#
# The endpoint's certificate is made here by a test CA. So that the agent does the work of the
# system CA store (parse the whole bundle, verify against it), it is given the system bundle
# with the test CA appended (--ca-file): the same certificates plus one.
set -euo pipefail
N=${1:-1000}
INTERVAL=${2:-0.1}
cd "$(dirname "$0")/.."

if [ -z "${AGENTS:-}" ]; then
	AGENTS=""
	for pair in release=build/release/serversan/agent/serversan-agent \
		agent-static=build/agent-static/serversan/agent/serversan-agent; do
		[ -x "${pair#*=}" ] && AGENTS="$AGENTS $pair"
	done
fi
[ -n "$AGENTS" ] || { echo "no agent binary found; set AGENTS=\"label=path ...\"" >&2; exit 1; }
if [ -z "${RSS_SERVER:-}" ]; then
	RSS_SERVER=$(ls build/*/bench/bench_agent_rss_server 2>/dev/null | head -1 || true)
fi
[ -x "${RSS_SERVER:-}" ] || { echo "no bench_agent_rss_server; build the bench target or set RSS_SERVER" >&2; exit 1; }

TMP=$(mktemp -d /tmp/serversan-rss.XXXXXX)
SERVER_PID=
AGENT_PID=
cleanup() {
	[ -n "$AGENT_PID" ] && kill -KILL "$AGENT_PID" 2>/dev/null || true
	[ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=bench/tls_endpoint.sh
source "$(dirname "$0")/tls_endpoint.sh"
make_test_pki "$TMP" 127.0.0.1 "IP:127.0.0.1"

python3 - >"$TMP/token" <<'EOF'
import secrets, zlib
alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
raw = "ssa1_1_" + "".join(secrets.choice(alphabet) for _ in range(43))
crc, digits = zlib.crc32(raw.encode()), ""
for _ in range(6):
    digits = alphabet[crc % 62] + digits
    crc //= 62
print(raw + digits)
EOF
chmod 600 "$TMP/token"

# A fresh endpoint per run, so that its counts are the run's.
start_endpoint() {
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	rm -f "$TMP/count" "$TMP/server.out"
	"$RSS_SERVER" "$PORT" "$TMP/server.pem" "$TMP/server.key" "$TMP/count" >"$TMP/server.out" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 50); do grep -q ready "$TMP/server.out" 2>/dev/null && break; sleep 0.1; done
}
stop_endpoint() {
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# The endpoint rewrites the file after each request: an empty read is "0 so far".
reports() {
	local n
	n=$(awk '{print $1}' "$TMP/count" 2>/dev/null || true)
	echo "${n:-0}"
}

echo "Binary sizes"
printf '  %-14s %10s %10s  %s\n' build bytes stripped path
for pair in $AGENTS; do
	label=${pair%%=*} path=${pair#*=}
	strip -o "$TMP/stripped" "$path"
	printf '  %-14s %10d %10d  %s (%s)\n' "$label" "$(stat -c %s "$path")" "$(stat -c %s "$TMP/stripped")" "$path" \
		"$(file -b "$path" | grep -o 'statically linked\|dynamically linked' || true)"
done
echo
echo "Daemon after $N collections, every report over HTTPS (keep-alive), interval $INTERVAL s"
printf '  %-14s %-30s %8s %8s %10s %8s %9s\n' build trust VmRSS VmHWM "CPU/report" reports handshakes
for pair in $AGENTS; do
	label=${pair%%=*} path=${pair#*=}
	for trust in bundle pin; do
		rm -rf "$TMP/state"
		start_endpoint
		if [ "$trust" = bundle ]; then
			args=(--ca-file "$TMP/bundle.pem")
			what="CA bundle ($BUNDLE_CERTS certs)"
		else
			args=(--pin-sha256 "$PIN")
			what="pinned certificate"
		fi
		"$path" --server "https://127.0.0.1:$PORT/" "${args[@]}" --token-file "$TMP/token" \
			--state-file "$TMP/state/agent.state" --interval "$INTERVAL" --jitter 0 --log-level warn \
			2>"$TMP/agent-$label-$trust.log" &
		AGENT_PID=$!
		deadline=$((SECONDS + 60 + ${N%.*} * 3 / 20))
		while [ "$(reports)" -lt "$N" ]; do
			kill -0 "$AGENT_PID" 2>/dev/null || { echo "agent $label exited: $(tail -3 "$TMP/agent-$label-$trust.log")" >&2; exit 1; }
			[ $SECONDS -lt $deadline ] || { echo "timed out at $(reports) reports" >&2; exit 1; }
			sleep 0.2
		done
		rss=$(kb "$AGENT_PID" VmRSS) hwm=$(kb "$AGENT_PID" VmHWM) cpu=$(ticks "$AGENT_PID")
		got=$(reports)
		kill -TERM "$AGENT_PID"
		wait "$AGENT_PID" || true
		AGENT_PID=
		handshakes=$(awk '{print $3}' "$TMP/count" 2>/dev/null || true)
		stop_endpoint
		printf '  %-14s %-30s %5d kB %5d kB %7.1f us %8d %9d\n' "$label" "$what" "$rss" "$hwm" \
			"$(echo "$cpu * 10000 / $got" | bc -l)" "$got" "$handshakes"
	done
done
echo
echo "(VmRSS: resident now; VmHWM: peak. CPU: utime+stime over the whole run, including start-up and"
echo " the TLS handshake, divided by the reports delivered. Handshakes are cumulative on the endpoint.)"
