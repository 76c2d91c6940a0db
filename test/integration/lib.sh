# Shared helpers for the integration scripts.
set -euo pipefail

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS COMMAND...: retries COMMAND every 0.1 s until it succeeds or time runs out.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}

# start_server: $SERVER serving $TMP/data on 127.0.0.1:$PORT in the background (log:
# $TMP/server.log); sets SERVER_PID and returns once /healthz answers.
start_server() {
	"$SERVER" --data-dir "$TMP/data" serve --listen "127.0.0.1:$PORT" 2>>"$TMP/server.log" &
	SERVER_PID=$!
	PIDS+=($SERVER_PID)
	wait_for 10 curl -fsS "http://127.0.0.1:$PORT/healthz" || fail "server did not come up: $(cat "$TMP/server.log")"
}

make_tmp() {
	TMP=$(mktemp -d /tmp/serversan-it.XXXXXX)
	trap 'cleanup' EXIT
}

PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
