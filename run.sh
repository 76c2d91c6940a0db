#!/usr/bin/env bash
# Installs what is missing, builds (release), and runs ServerSan on its embedded default:
# serversan-server on SQLite at 127.0.0.1:8080 plus a local serversan-agent reporting into it.
# Data lives in ./data (or $SERVERSAN_DATA); a second run reuses it. Ctrl-C stops both.
# With SERVERSAN_SERVER_BOT_TOKEN=<token from @BotFather> set, the Telegram bot runs too.
set -euo pipefail
cd "$(dirname "$0")"

LISTEN=${SERVERSAN_LISTEN:-127.0.0.1:8080}
DATA=${SERVERSAN_DATA:-$PWD/data}
INTERVAL=${SERVERSAN_AGENT_INTERVAL:-10}

# SERVERSAN_SKIP_BUILD and SERVERSAN_BIN_DIR let the integration test run this script on the
# binaries test.sh has just built.
BIN=${SERVERSAN_BIN_DIR:-build/release/serversan}
if [ -z "${SERVERSAN_SKIP_BUILD:-}" ]; then
	./deps.sh
	cmake --preset release >/dev/null
	cmake --build --preset release --target serversan-server serversan-agent
	web/build.sh
fi

SERVER=$BIN/server/serversan-server
AGENT=$BIN/agent/serversan-agent
mkdir -p "$DATA/agent"
chmod 700 "$DATA"

# Enroll the local agent once. The token lives beside the database it belongs to; if the
# database is gone (a fresh start), the old token is worthless and a new one is made.
TOKEN_FILE="$DATA/agent/auth.log"
if [ ! -s "$TOKEN_FILE" ] || [ ! -f "$DATA/serversan.db" ]; then
	rm -f "$DATA/agent/agent.state"
	(umask 077 && "$SERVER" --data-dir "$DATA" server add --name "$(hostname) (local)" \
		--url "http://$LISTEN" --token-only >"$TOKEN_FILE.tmp")
	mv "$TOKEN_FILE.tmp" "$TOKEN_FILE"
fi

pids=()
stop() {
	trap - INT TERM EXIT
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	echo "ServerSan stopped. Data kept in $DATA."
}
trap stop INT TERM EXIT

# The install line that `server add` prints fetches install.sh and this machine's agent build from
# the server: serve them from the data directory.
mkdir -p "$DATA/downloads"
cp -f "$(dirname "$0")/install.sh" "$DATA/downloads/install.sh"
cp -f "$AGENT" "$DATA/downloads/serversan-agent-$(uname -m)"
# The server's log also goes to $DATA/server.log, where the bot's start line is read from.
: >"$DATA/server.log"
SERVERSAN_SERVER_INGEST_DOWNLOADS_DIR=${SERVERSAN_SERVER_INGEST_DOWNLOADS_DIR:-$DATA/downloads} \
	"$SERVER" --data-dir "$DATA" serve --listen "$LISTEN" 2> >(tee -a "$DATA/server.log" >&2) &
pids+=($!)

# Wait until the server answers before the agent's first report.
for _ in $(seq 1 100); do
	if curl -fsS "http://$LISTEN/healthz" >/dev/null 2>&1; then break; fi
	if ! kill -0 "${pids[0]}" 2>/dev/null; then
		echo "run.sh: serversan-server did not start (see the message above)" >&2
		exit 1
	fi
	sleep 0.1
done

"$AGENT" --server "http://$LISTEN" --token-file "$TOKEN_FILE" --state-file "$DATA/agent/agent.state" \
	--interval "$INTERVAL" &
pids+=($!)

# The bot says who it is (getMe) or why it is off, within a few seconds.
if [ -n "${SERVERSAN_SERVER_BOT_TOKEN:-}" ]; then
	BOT_LINE="starting..."
	for _ in $(seq 1 100); do
		if line=$(grep -m1 -o 'Telegram bot @.*' "$DATA/server.log"); then
			BOT_LINE=${line#Telegram bot }
			break
		fi
		if line=$(grep -m1 -o 'bot: .*' "$DATA/server.log"); then
			BOT_LINE="off: ${line#bot: }"
			break
		fi
		sleep 0.1
	done
	BOT_TEXT="  Telegram bot:     $BOT_LINE
                    (send it /start; it runs with the token in SERVERSAN_SERVER_BOT_TOKEN)"
else
	BOT_TEXT="  Telegram bot:     off. Turn it on: create a bot with @BotFather, then
                    SERVERSAN_SERVER_BOT_TOKEN=123456:ABC... ./run.sh"
fi

# A one-time login link for the console operator (the owner of the servers added here), so the
# dashboard opens in a browser before any Telegram bot exists. The command says how long it works
# (web.login_link_ttl, from the same environment or config as the server), so its text is shown.
LOGIN_TEXT=$("$SERVER" --data-dir "$DATA" web login-link --url "http://$LISTEN" 2>&1) ||
	LOGIN_TEXT="(could not make one: $LOGIN_TEXT)"
LOGIN_TEXT=$(printf '%s\n' "$LOGIN_TEXT" | sed 's/^ */      /')

cat <<EOT

ServerSan is running.
  Report endpoint:  http://$LISTEN/api/v1/reports   (health: http://$LISTEN/healthz)
  Local agent:      reports every ${INTERVAL}s into it
  Data:             $DATA (SQLite: $DATA/serversan.db)
$BOT_TEXT

What next:
  - See your servers:     $SERVER --data-dir $DATA server list
  - Watch another machine: $SERVER --data-dir $DATA server add --name NAME --url http://THIS-HOST:8080
                          prints the token and the agent's install line (this server hands out
                          install.sh and the agent build for $(uname -m) at http://$LISTEN/download/).
  - Open the dashboard (a new link: $SERVER --data-dir $DATA web login-link, or /web in the bot):
$LOGIN_TEXT
Press Ctrl-C to stop both.
EOT
wait -n "${pids[@]}" || true
