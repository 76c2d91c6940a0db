#!/usr/bin/env bash
# How soon an agent is heard from again after its server was down (issue 18, defect 8): the real
# server and agent binaries over loopback; the server is stopped for OUTAGE seconds, started
# again, and the time from its start (health check answering) to the first report it stores is
# printed, for each of ROUNDS outages. Figures, not assertions (the bound is docs/agent.md's: at
# most 10 s between attempts during the first 5 minutes of an outage).
#
#   bench/agent_resume.sh [OUTAGE_S [ROUNDS [SIGNAL]]]    defaults: 120 s, 1 round, TERM
#
# The agent runs as installed (60 s interval, 5 s jitter), so a report collected during the
# outage is waiting in its spool when the server returns: what is measured is the back-off alone.
source "$(dirname "$0")/../test/integration/lib.sh" # fail, free_port, wait_for, make_tmp, start_server
OUTAGE=${1:-120}
ROUNDS=${2:-1}
SIGNAL=${3:-TERM}
BIN=${BIN:-$(dirname "$0")/../build/release/serversan}
SERVER=$BIN/server/serversan-server
AGENT=$BIN/agent/serversan-agent
[ -x "$SERVER" ] && [ -x "$AGENT" ] || fail "build serversan-server and serversan-agent first"
make_tmp
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
ms() { echo $(($(date +%s%N) / 1000000)); }
reports() { "$SERVER" --data-dir "$TMP/data" server show 1 | awk '$1 == "reports:" {print $2}'; }
more_than() { [ "$(reports)" -gt "$1" ] 2>/dev/null; }

"$SERVER" --data-dir "$TMP/data" server add --name resume-host --url "$URL" --token-only >"$TMP/token"
chmod 600 "$TMP/token"
start_server
"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent/agent.state" \
	--log-level debug 2>>"$TMP/agent.log" &
PIDS+=($!)
wait_for 120 more_than 0 || fail "no first report: $(tail "$TMP/agent.log")"

for round in $(seq "$ROUNDS"); do
	kill -"$SIGNAL" "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	before=$(reports)
	sleep "$OUTAGE"
	start_server
	up=$(ms)
	wait_for 600 more_than "$before" || fail "nothing stored 10 minutes after the server came back"
	resumed=$(($(ms) - up))
	attempts=$(grep -ac "next attempt in" "$TMP/agent.log" || true)
	echo "round $round: outage ${OUTAGE} s (SIG$SIGNAL): first report stored ${resumed} ms after the server was back; $attempts failed attempts during the outage"
	: >"$TMP/agent.log"
done
