#!/usr/bin/env bash
# The README's first command: run.sh starts server and agent, the agent's reports are accepted,
# Ctrl-C (SIGINT) stops both, and a second run reuses the data; the dashboard link it prints logs in. The build step is skipped here
# (test.sh has just built these binaries); everything after it is run.sh's own code.
source "$(dirname "$0")/lib.sh"
SRC=$1
BUILD=$2
make_tmp
PORT=$(free_port)
export SERVERSAN_LISTEN=127.0.0.1:$PORT SERVERSAN_DATA=$TMP/data SERVERSAN_AGENT_INTERVAL=0.3
export SERVERSAN_SKIP_BUILD=1 SERVERSAN_BIN_DIR=$BUILD/serversan

run_once() {
	# A background job of a script starts with SIGINT ignored, and bash cannot trap a signal
	# ignored at entry; restore the default first, as a terminal's foreground job has it.
	python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execv(sys.argv[1], sys.argv[1:])' \
		"$SRC/run.sh" >"$TMP/run$1.log" 2>&1 &
	RUN_PID=$!
	PIDS+=($RUN_PID)
	wait_for 20 grep -q "ServerSan is running" "$TMP/run$1.log" || fail "run.sh did not start: $(cat "$TMP/run$1.log")"
}

count_reports() {
	"$BUILD/serversan/server/serversan-server" --data-dir "$TMP/data" server show 1 | awk '$1 == "reports:" {print $2}'
}

stop_run() {
	kill -INT "$RUN_PID"
	for _ in $(seq 1 50); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$RUN_PID" 2>/dev/null && fail "run.sh did not stop on Ctrl-C"
	pgrep -f "$TMP/data" >/dev/null && fail "server or agent still running after Ctrl-C"
	grep -q "ServerSan stopped" "$TMP/run$1.log" || fail "no stop message"
}

run_once 1
wait_for 20 bash -c "[ \"\$($(declare -f count_reports); BUILD=$BUILD TMP=$TMP count_reports)\" -ge 2 ]" ||
	fail "no reports accepted: $(cat "$TMP/run1.log")"
# The install line of `server add` works against this server: it hands out install.sh and the agent.
curl -fsS -o "$TMP/install.sh" "http://$SERVERSAN_LISTEN/install.sh" || fail "no /install.sh"
cmp -s "$TMP/install.sh" "$SRC/install.sh" || fail "the served install.sh is not the repository's"
curl -fsS -o "$TMP/agent" "http://$SERVERSAN_LISTEN/download/serversan-agent-$(uname -m)" || fail "no agent download"
cmp -s "$TMP/agent" "$BUILD/serversan/agent/serversan-agent" || fail "the served agent is not the build's"
# The dashboard's one-time link printed last works on the address run.sh listens on: its page
# opens, its button (POST) spends it for a session cookie, and the cookie reaches the API as the
# console operator, who sees this machine's server; a second use is refused.
LINK=$(grep -oE "http://$SERVERSAN_LISTEN/login/[A-Za-z0-9_-]+" "$TMP/run1.log" | tail -1)
[ -n "$LINK" ] || fail "run.sh printed no login link for http://$SERVERSAN_LISTEN: $(cat "$TMP/run1.log")"
curl -fsS "$LINK" | grep -q "<form" || fail "the login link's page has no button: $LINK"
code=$(curl -sS -o /dev/null -w '%{http_code}' -c "$TMP/cookies" -X POST "$LINK")
[ "$code" = 303 ] || fail "spending the login link answered $code, not 303"
grep -q ss_session "$TMP/cookies" || fail "no session cookie from the login link"
curl -fsS -b "$TMP/cookies" "http://$SERVERSAN_LISTEN/api/v1/me" | grep -q '"user_id":0' ||
	fail "the session is not the console operator's"
curl -fsS -b "$TMP/cookies" "http://$SERVERSAN_LISTEN/api/v1/servers" | grep -q '"state":"online"' ||
	fail "the console operator does not see run.sh's server online"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$LINK")
[ "$code" = 410 ] || fail "a second use of the login link answered $code, not 410"
stop_run 1
first=$(count_reports)
TOKEN1=$(cat "$TMP/data/agent/auth.log")

run_once 2
wait_for 20 bash -c "[ \"\$($(declare -f count_reports); BUILD=$BUILD TMP=$TMP count_reports)\" -gt $first ]" ||
	fail "second run stored nothing new: $(cat "$TMP/run2.log")"
stop_run 2
[ "$(cat "$TMP/data/agent/auth.log")" = "$TOKEN1" ] || fail "second run re-enrolled instead of reusing the data"
grep -q "Turn it on: create a bot with @BotFather" "$TMP/run2.log" || fail "the closing text does not say how to turn the bot on"

# With a bot token (here the fake Bot API's) the bot runs too and run.sh shows its @name and link;
# Ctrl-C still stops everything at once.
FAKE=$BUILD/test/fake_telegram/serversan-fake-telegram
[ -x "$FAKE" ] || fail "no fake Bot API at $FAKE"
{
	FPORT=$(free_port)
	"$FAKE" --port "$FPORT" --token "777:run-sh_token" --username run_sh_bot >/dev/null 2>&1 &
	PIDS+=($!)
	wait_for 10 curl -fsS -X POST "http://127.0.0.1:$FPORT/sim/state"
	export SERVERSAN_SERVER_BOT_TOKEN=777:run-sh_token SERVERSAN_SERVER_BOT_API_URL=http://127.0.0.1:$FPORT
	run_once 3
	grep -q "Telegram bot:     @run_sh_bot is running: https://t.me/run_sh_bot" "$TMP/run3.log" ||
		fail "run.sh does not show the bot: $(cat "$TMP/run3.log")"
	stop_run 3
}
echo "PASS"
