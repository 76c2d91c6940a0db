#!/usr/bin/env bash
# Store-and-forward against the real server: reports collected while the server is down (and by
# an agent killed with SIGKILL in the middle of the outage) are all stored once the server is
# back, none twice: the server's count equals the number of sequence numbers the agent used.
source "$(dirname "$0")/lib.sh"
SERVER=$1
AGENT=$2
make_tmp
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
STATE=$TMP/agent/agent.state
SPOOL=$TMP/agent/spool
agent() { "$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$STATE" --jitter 0 "$@"; }

"$SERVER" --data-dir "$TMP/data" server add --name spool-host --url "$URL" --token-only >"$TMP/token"
chmod 600 "$TMP/token"

stop_server() {
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID" || true
}
reports() { "$SERVER" --data-dir "$TMP/data" server show 1 | awk '$1 == "reports:" {print $2}'; }
spooled() { find "$SPOOL" -name 'seg-*.spool' 2>/dev/null | wc -l; }

# 1. Server up: three reports go straight through.
start_server
agent --interval 0.2 --count 3 2>"$TMP/a1.log" || fail "first run: $(cat "$TMP/a1.log")"
[ "$(reports)" = 3 ] || fail "expected 3 reports, server has $(reports)"

# 2. Server down: a counted run keeps its 5 reports in the spool and says so (exit 1).
stop_server
if agent --interval 0.2 --count 5 --timeout 1 2>"$TMP/a2.log"; then
	fail "agent claimed delivery with the server down: $(cat "$TMP/a2.log")"
fi
grep -q "stay in the spool" "$TMP/a2.log" || fail "no spool message: $(cat "$TMP/a2.log")"
[ "$(spooled)" -ge 1 ] || fail "nothing in the spool directory"

# 3. Still down: a daemon collects a few more, then dies by SIGKILL (no chance to save anything).
"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$STATE" --jitter 0 --interval 0.2 --timeout 1 \
	2>"$TMP/a3.log" &
DAEMON=$!
PIDS+=($DAEMON)
sleep 2
kill -KILL "$DAEMON"
wait "$DAEMON" 2>/dev/null || true

# 4. Server back: one cron-style run delivers its own report and everything spooled before.
start_server
agent --once 2>"$TMP/a4.log" || fail "--once after the outage failed: $(cat "$TMP/a4.log")"
LAST=$(awk -F= '$1 == "next_seq" {print $2 - 1}' "$STATE")
echo "agent used sequence numbers 1..$LAST; server has $(reports) reports"
[ "$LAST" -ge 10 ] || fail "the daemon collected too little ($LAST): $(cat "$TMP/a3.log")"
[ "$(reports)" = "$LAST" ] || fail "server has $(reports) reports, the agent made $LAST"
[ "$(spooled)" -le 1 ] || fail "delivered spool files were not removed: $(ls "$SPOOL")"

# 5. Once more: nothing is sent twice (the count moves by exactly one).
agent --once 2>"$TMP/a5.log" || fail "second --once failed: $(cat "$TMP/a5.log")"
[ "$(reports)" = $((LAST + 1)) ] || fail "expected $((LAST + 1)) reports, server has $(reports)"
stop_server
echo "PASS"
