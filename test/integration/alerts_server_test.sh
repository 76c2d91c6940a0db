#!/usr/bin/env bash
# Alerts end to end: the real agent (reading a fixture /proc whose meminfo the test rewrites)
# reports into the real server, whose engine evaluates each committed group. Rules are stored
# beforehand with short thresholds (RAM > 50 % at once, offline after 12 s), the engine ticks
# every second and its offline floor is 2 s. Checked in the outbox (the bot renders kind
# "alert" rows; none is sent here):
#  - a breach queues one "alert" row for the owner chat within 3 s of the report showing it;
#  - a restart of the server (down longer than the offline threshold) repeats no notice, loses no
#    firing state and marks nothing offline;
#  - the recovery queues "resolved" (only possible if the firing state survived the restart);
#  - a silent server is announced offline after its threshold, and back online when it reports.
source "$(dirname "$0")/lib.sh"
SERVER=$1
AGENT=$2
FIXTURES=$3
make_tmp
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
CHAT=1001
DB=$TMP/data/serversan.db

"$SERVER" --data-dir "$TMP/data" server add --name web1 --owner $CHAT --url "$URL" --token-only >"$TMP/token"
chmod 600 "$TMP/token"
# The test's rules, as /threshold would store them but with thresholds no user may type.
sqlite3 "$DB" "INSERT INTO alert_rules (owner_chat, metric, op, threshold, clear_threshold, for_s, created_ms)
	VALUES ($CHAT, 'mem.percent', '>', 50, 40, 0, 0), ($CHAT, 'offline', '>', 0.2, NULL, 0, 0);"

cp -r "$FIXTURES/vm-debian12" "$TMP/root"
chmod -R u+w "$TMP/root"
# mem PERCENT: MemAvailable set so that PERCENT of MemTotal is in use.
mem() {
	local total
	total=$(awk '/^MemTotal:/ {print $2}' "$TMP/root/proc/meminfo")
	# In place: the agent keeps /proc files open and reads them again (sed -i would swap the inode).
	local text
	text=$(sed "s/^MemAvailable:.*/MemAvailable:    $((total * (100 - $1) / 100)) kB/" "$TMP/root/proc/meminfo")
	printf '%s\n' "$text" >"$TMP/root/proc/meminfo"
}
mem 10

export SERVERSAN_SERVER_ALERTS_TICK_EVERY=1 SERVERSAN_SERVER_ALERTS_OFFLINE_FLOOR=2
start_server
AGENT_PID=
start_agent() {
	SERVERSAN_AGENT_HOST_ROOT=$TMP/root "$AGENT" --server "$URL" --token-file "$TMP/token" \
		--state-file "$TMP/agent.state" --interval 1 --jitter 0 2>>"$TMP/agent.log" &
	AGENT_PID=$!
	PIDS+=($AGENT_PID)
}
start_agent

# count KIND STATE: alert rows of that kind and state queued for the owner chat.
count() {
	sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE kind = 'alert' AND chat_id = $CHAT
		AND json_extract(payload, '$.kind') = '$1' AND json_extract(payload, '$.state') = '$2';"
}
is() { [ "$(count "$1" "$2")" = "$3" ]; }
show() { sqlite3 "$DB" "SELECT id, next_attempt_ms, payload FROM outbox WHERE kind = 'alert';"; }

reported() { "$SERVER" --data-dir "$TMP/data" server show 1 | grep -q '^last seen: .* ago'; }
wait_for 10 reported || fail "no report stored: $(cat "$TMP/agent.log")"
sleep 2
is ram firing 0 || fail "RAM at 10 % fired: $(show)"

# The breach: the next report (within 1 s) shows 90 %; its notice is queued right after the commit.
mem 90
T0=$SECONDS
wait_for 3 is ram firing 1 || fail "no RAM alert within 3 s of the breach: $(show)"
echo "RAM alert queued $((SECONDS - T0)) s after the breach was written"
sqlite3 "$DB" "SELECT payload FROM outbox WHERE kind = 'alert'" | grep -q '"server":"web1"' || fail "payload: $(show)"

# Restart the server while the alert fires, and keep everything down longer than the offline
# threshold (12 s): the last report is then older than the threshold when the server comes
# back, yet the engine counts silence from its own start, so nothing is announced offline.
kill -TERM "$AGENT_PID" "$SERVER_PID"
wait "$SERVER_PID" || fail "server exited non-zero after SIGTERM"
wait "$AGENT_PID" 2>/dev/null || true
sleep 13
start_server
start_agent
sleep 4
is ram firing 1 || fail "the restart repeated the firing notice: $(show)"
is offline firing 0 || fail "the restart marked the server offline: $(show)"
[ "$(sqlite3 "$DB" "SELECT state FROM alert_state WHERE metric = 'mem.percent'")" = firing ] ||
	fail "firing state lost: $(sqlite3 "$DB" 'SELECT * FROM alert_state')"

# Recovery: "resolved", once.
mem 10
wait_for 3 is ram resolved 1 || fail "no resolved within 3 s of the recovery: $(show)"

# Offline: the agent stops; after 12 s (the rule) plus a tick the server is announced offline.
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
T0=$SECONDS
sleep 9
is offline firing 0 || fail "offline before its threshold: $(show)"
wait_for 10 is offline firing 1 || fail "not announced offline: $(show)"
echo "offline announced $((SECONDS - T0)) s after the agent stopped"
start_agent
wait_for 5 is offline resolved 1 || fail "not announced back online: $(show)"
is ram firing 1 || fail "RAM notices repeated: $(show)"

kill -TERM "$AGENT_PID" "$SERVER_PID"
wait "$SERVER_PID" || fail "server exited non-zero after SIGTERM"
show
echo "PASS"
