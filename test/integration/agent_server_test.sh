#!/usr/bin/env bash
# The real agent reports into the real server over loopback: enroll, --once, a short daemon run,
# a clean SIGTERM; a tampered token is refused and stores nothing.
source "$(dirname "$0")/lib.sh"
SERVER=$1
AGENT=$2
make_tmp
PORT=$(free_port)
URL=http://127.0.0.1:$PORT

"$SERVER" --data-dir "$TMP/data" server add --name it-host --url "$URL" --token-only >"$TMP/token"
chmod 600 "$TMP/token"
grep -qE '^ssa1_1_[0-9A-Za-z]{49}$' "$TMP/token" || fail "token format: $(cat "$TMP/token")"

"$SERVER" --data-dir "$TMP/data" serve --listen "127.0.0.1:$PORT" 2>"$TMP/server.log" &
PIDS+=($!)
SERVER_PID=$!
wait_for 10 curl -fsS "$URL/healthz" || fail "server did not come up: $(cat "$TMP/server.log")"

# A token file readable by others is refused before anything is sent.
cp "$TMP/token" "$TMP/token-open"
chmod 644 "$TMP/token-open"
if "$AGENT" --server "$URL" --token-file "$TMP/token-open" --state-file "$TMP/state0" --once 2>"$TMP/open.log"; then
	fail "agent accepted a world-readable token file"
fi

# One report, cron style.
"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent.state" --once 2>"$TMP/once.log" ||
	fail "agent --once failed: $(cat "$TMP/once.log")"

# Three more in daemon mode.
"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent.state" --interval 0.2 --count 3 \
	2>"$TMP/daemon.log" || fail "agent daemon run failed: $(cat "$TMP/daemon.log")"

# A token with a changed secret (valid checksum recomputed is not possible without the
# secret, so take a fresh valid token of another install): 401, nothing stored.
"$SERVER" --data-dir "$TMP/other" server add --name elsewhere --token-only >"$TMP/foreign"
chmod 600 "$TMP/foreign"
if "$AGENT" --server "$URL" --token-file "$TMP/foreign" --state-file "$TMP/state2" --once 2>"$TMP/foreign.log"; then
	fail "agent with a foreign token was accepted"
fi

kill -TERM "$SERVER_PID"
for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$SERVER_PID" 2>/dev/null && fail "server did not stop within 5 s of SIGTERM"
wait "$SERVER_PID" || fail "server exited non-zero after SIGTERM"

"$SERVER" --data-dir "$TMP/data" server list
SHOW=$("$SERVER" --data-dir "$TMP/data" server show 1)
echo "$SHOW"
echo "$SHOW" | grep -qx 'reports: 4' || fail "expected 4 stored reports for server 1"
echo "$SHOW" | grep -q '^last seen: .* ago' || fail "last seen not set"
echo "PASS"
