#!/usr/bin/env bash
# The bot role end to end: the real server against the fake Bot API binary. The bot starts
# (getMe, setMyCommands in two languages), a /start injected through the fake's /sim API gets a
# reply, the token never shows in the log, and with the Bot API hanging the server still
# acknowledges reports at once. A bad token is one line and the rest of the server runs on.
source "$(dirname "$0")/lib.sh"
TOKEN="424242:it-SECRET_token_abcdefghijklmnop"
bot_test_init "$@"

"$SERVER" --data-dir "$TMP/data" server add --name it-host --url "$URL" --token-only >"$TMP/token"
chmod 600 "$TMP/token"

# The token is never shown: `config` redacts it.
CONFIG=$(SERVERSAN_SERVER_BOT_TOKEN=$TOKEN "$SERVER" --data-dir "$TMP/data" config)
echo "$CONFIG" | grep -q '^bot.token = <redacted>' || fail "config does not redact the token: $CONFIG"
echo "$CONFIG" | grep -q "it-SECRET" && fail "config shows the token"
# Role bot without a token is refused; all without a token runs without the bot.
"$SERVER" --data-dir "$TMP/data" serve --roles bot 2>"$TMP/notoken.log" && fail "role bot started without a token"
grep -q "needs bot.token" "$TMP/notoken.log" || fail "no clear line for a missing token: $(cat "$TMP/notoken.log")"

SERVERSAN_SERVER_BOT_TOKEN=$TOKEN SERVERSAN_SERVER_BOT_API_URL=$FAKE_URL start_server
wait_for 10 grep -q "Telegram bot @it_serversan_bot is running: https://t.me/it_serversan_bot" "$TMP/server.log" ||
	fail "no bot start line: $(cat "$TMP/server.log")"
sim wait '{"method":"setMyCommands","count":2,"timeout_ms":5000}' | grep -q '"result":true' ||
	fail "setMyCommands not called for both languages"

sim command '{"text":"/start","from":{"id":1001}}' >/dev/null
sim wait '{"method":"sendMessage","count":1,"timeout_ms":10000}' | grep -q '"result":true' ||
	fail "no reply to /start: $(cat "$TMP/server.log")"
curl -fsS "$FAKE_URL/sim/messages?chat_id=1001" | grep -q '/help' || fail "the reply is not the help text"

# Five reports (0.2 s apart) with Telegram answering, then with every Bot API call hanging 20 s
# (and a command waiting for its reply): the same time.
five_reports() {
	local start
	start=$(date +%s%N)
	"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent.state" --interval 0.2 --count 5 \
		2>"$TMP/agent.log" || fail "agent failed: $(cat "$TMP/agent.log")"
	echo $((($(date +%s%N) - start) / 1000000))
}
base=$(five_reports)
sim fail '{"kind":"delay","delay_ms":20000,"times":-1}' >/dev/null
sim command '{"text":"/help","from":{"id":1001}}' >/dev/null
sleep 0.5
hung=$(five_reports)
echo "5 reports: ${base} ms with the Bot API answering, ${hung} ms with it hanging"
# A report held up behind the hanging call would take its 20 s; allow a loaded machine's noise
# (a 1 s margin failed once under a full parallel ctest) but nothing near the hang.
[ "$hung" -lt $((base + 8000)) ] || fail "reports slowed down by the hanging Bot API (${base} -> ${hung} ms)"
grep -q "$TOKEN" "$TMP/server.log" && fail "the token is in the log"
grep -q "it-SECRET" "$TMP/server.log" && fail "the token's secret is in the log"
# SIGTERM with a long poll and a hung call in flight: stopped within 5 s, not after their time-outs.
kill -TERM "$SERVER_PID"
for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$SERVER_PID" 2>/dev/null && fail "server with the bot did not stop within 5 s of SIGTERM"
grep -q "polling failed" "$TMP/server.log" && fail "shutdown logged as a polling error: $(cat "$TMP/server.log")"

# Webhook mode: setWebhook with the secret, the listener's route refuses a wrong or missing
# secret (401) and the fake's own delivery (with the secret) gets a reply.
sim clear_faults >/dev/null
# (no reset: the fake keeps counting update ids, as Telegram does within a week)
: >"$TMP/server.log"
HOOK=$URL/telegram/hook
SERVERSAN_SERVER_BOT_TOKEN=$TOKEN SERVERSAN_SERVER_BOT_API_URL=$FAKE_URL SERVERSAN_SERVER_BOT_MODE=webhook \
	SERVERSAN_SERVER_BOT_WEBHOOK_URL=$HOOK SERVERSAN_SERVER_BOT_WEBHOOK_SECRET=it_hook-Secret start_server
wait_for 10 grep -q "is running" "$TMP/server.log" || fail "webhook mode did not start: $(cat "$TMP/server.log")"
curl -fsS "$FAKE_URL/sim/calls?method=setWebhook" | grep -q 'it_hook-Secret' || fail "setWebhook without the secret"
body='{"update_id":900,"message":{"message_id":1,"date":1,"chat":{"id":3003,"type":"private"},"from":{"id":3003,"is_bot":false,"first_name":"A"},"text":"/start"}}'
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" "$HOOK")
[ "$code" = 401 ] || fail "webhook without the secret answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Telegram-Bot-Api-Secret-Token: wrong' -d "$body" "$HOOK")
[ "$code" = 401 ] || fail "webhook with a wrong secret answered $code"
sleep 0.5
# (the restarted server may still deliver what it had queued for 1001: that is the outbox working)
curl -fsS "$FAKE_URL/sim/calls?method=sendMessage" | grep -q '"chat_id":3003' &&
	fail "a refused webhook request was handled"
# From a user who never spoke, so a reply still queued for 1001 from before cannot pass for it.
sim command '{"text":"/start","from":{"id":3004},"chat":{"id":3004,"type":"private"}}' >/dev/null
wait_for 10 sh -c "curl -fsS '$FAKE_URL/sim/calls?method=sendMessage' | grep -q '\"chat_id\":3004'" ||
	fail "no reply through the webhook: $(tail -c 800 "$TMP/server.log")"
"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent.state" --once 2>"$TMP/agent3.log" ||
	fail "reports refused in webhook mode: $(cat "$TMP/agent3.log")"
kill -KILL "$SERVER_PID"

# Telegram unreachable at start: one line, reports accepted, and the bot comes up by itself once
# the Bot API answers (here: the fake started later on that port).
: >"$TMP/server.log"
LPORT=$(free_port)
SERVERSAN_SERVER_BOT_TOKEN=$TOKEN SERVERSAN_SERVER_BOT_API_URL=http://127.0.0.1:$LPORT start_server
wait_for 5 grep -q "cannot reach Telegram" "$TMP/server.log" || fail "no line about Telegram unreachable"
"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent.state" --once 2>"$TMP/agent4.log" ||
	fail "reports refused while Telegram is unreachable: $(cat "$TMP/agent4.log")"
"$FAKE" --port "$LPORT" --token "$TOKEN" --username late_bot >/dev/null 2>&1 &
PIDS+=($!)
wait_for 20 grep -q "Telegram bot @late_bot is running" "$TMP/server.log" ||
	fail "the bot did not come up once Telegram answered: $(cat "$TMP/server.log")"
[ "$(grep -c 'cannot reach' "$TMP/server.log")" = 1 ] || fail "more than one line while unreachable"
kill -KILL "$SERVER_PID"

# A bad token: one clear line, no loop of errors, reports still accepted.
: >"$TMP/server.log"
SERVERSAN_SERVER_BOT_TOKEN=999:wrong SERVERSAN_SERVER_BOT_API_URL=$FAKE_URL start_server
sleep 1
[ "$(grep -c 'bot' "$TMP/server.log")" -le 2 ] || fail "more than one line about the bad token: $(cat "$TMP/server.log")"
grep -q "refused the bot token" "$TMP/server.log" || fail "no clear line about the bad token: $(cat "$TMP/server.log")"
"$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent.state" --once 2>"$TMP/agent2.log" ||
	fail "server without its bot does not take reports: $(cat "$TMP/agent2.log")"
echo "PASS"
