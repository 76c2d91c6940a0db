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

# start_fake_telegram TOKEN USERNAME: $FAKE (the fake Bot API binary) on a free port in the
# background; sets FAKE_URL and returns once its /sim API answers.
start_fake_telegram() {
	FAKE_URL=http://127.0.0.1:$(free_port)
	"$FAKE" --port "${FAKE_URL##*:}" --token "$1" --username "$2" >"$TMP/fake.out" 2>"$TMP/fake.log" &
	PIDS+=($!)
	wait_for 10 curl -fsS -X POST "$FAKE_URL/sim/state" || fail "fake Bot API did not come up"
}

# bot_test_init SERVER AGENT FAKE: the bot scripts' start: the binaries, $TMP, the server's PORT
# and URL, and the fake Bot API serving $TOKEN as @it_serversan_bot.
bot_test_init() {
	SERVER=$1 AGENT=$2 FAKE=$3
	make_tmp
	PORT=$(free_port)
	URL=http://127.0.0.1:$PORT
	start_fake_telegram "$TOKEN" it_serversan_bot
}

# sim ENDPOINT [JSON]: POST to the fake Bot API's /sim API (docs/bot.md).
sim() { curl -fsS -X POST -H 'Content-Type: application/json' -d "${2:-{\}}" "$FAKE_URL/sim/$1"; }

make_tmp() {
	TMP=$(mktemp -d /tmp/serversan-it.XXXXXX)
	trap 'cleanup' EXIT
}

PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
