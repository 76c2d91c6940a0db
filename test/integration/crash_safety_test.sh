#!/usr/bin/env bash
# Acknowledged means durable: kill -9 the server while the load generator runs, restart it, and
# every report acknowledged with 200 is stored (none twice), and the database checks out.
source "$(dirname "$0")/lib.sh"
SERVER=$1
LOADGEN=$2
make_tmp
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
AGENTS=20
for i in $(seq 1 $AGENTS); do
	"$SERVER" --data-dir "$TMP/data" server add --name "crash-$i" --token-only
done >"$TMP/tokens"

start_server() {
	# One machine plays every agent: lift the per-address and per-server limits.
	SERVERSAN_SERVER_INGEST_RATE_PER_IP=0 SERVERSAN_SERVER_INGEST_RATE_PER_SERVER=0 \
		"$SERVER" --data-dir "$TMP/data" --log-level warn serve --roles ingest --listen "127.0.0.1:$PORT" \
		2>>"$TMP/server.log" &
	SERVER_PID=$!
	PIDS+=($SERVER_PID)
	wait_for 10 curl -fsS "$URL/healthz" || fail "server did not start: $(cat "$TMP/server.log")"
}

for round in 1 2 3; do
	start_server
	"$LOADGEN" --url "$URL" --tokens "$TMP/tokens" --connections 8 --seconds 3 --acked "$TMP/acked.$round" \
		>"$TMP/loadgen.$round" 2>&1 &
	LG=$!
	PIDS+=($LG)
	sleep 1.$((RANDOM % 9))
	kill -KILL "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	start_server # the load generator reconnects and resends what was not acknowledged
	wait "$LG" || true
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID" || fail "server exited non-zero after SIGTERM"
done

cat "$TMP"/acked.* >"$TMP/acked"
[ -s "$TMP/acked" ] || fail "nothing was acknowledged: $(cat "$TMP"/loadgen.*)"
# Each agent keeps one stream for the whole run (each round is a new loadgen, so a new stream):
# the stored count per server must be at least what was acknowledged for it.
for id in $(seq 1 $AGENTS); do
	acked=$(awk -v id="$id" '$1 == id' "$TMP/acked" | wc -l)
	stored=$("$SERVER" --data-dir "$TMP/data" server show "$id" | awk '$1 == "reports:" {print $2}')
	[ "$stored" -ge "$acked" ] || fail "server $id: $acked acknowledged but only $stored stored"
done
# No (server, seq) acknowledged twice within a round: the sequence window made retries idempotent.
for f in "$TMP"/acked.*; do
	dups=$(sort "$f" | uniq -d | wc -l)
	[ "$dups" -eq 0 ] || fail "$dups reports acknowledged twice in $f"
done
"$SERVER" --data-dir "$TMP/data" db backup "$TMP/check.db" >/dev/null || fail "integrity check of a backup failed"
echo "acknowledged: $(wc -l <"$TMP/acked") reports over 3 kill -9 rounds; all stored; integrity ok"
echo "PASS"
