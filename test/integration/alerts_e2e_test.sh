#!/usr/bin/env bash
# Alerts end to end as users live them: the real server (ingest, jobs, alerts, bot) on its test
# clock (serve --test-clock: time moves only when this script says, and each move runs what is
# due before it answers), the fake Bot API binary, and signed reports with chosen times and values
# (serversan-report-driver). Days of reports take seconds; nothing sleeps. Alice (1001) and Bob
# (2002) each register and add servers with the bot; everything is checked in what the fake Bot
# API received (messages, replies, edits, buttons), and the whole conversation is printed so a
# person can read it as the users would on their phones.
source "$(dirname "$0")/lib.sh"
SERVER=$1 FAKE=$2 DRIVER=$3
TOKEN="424242:e2e-SECRET_token_abcdefghijklmnop"
ALICE=1001 BOB=2002
make_tmp
[ -n "${KEEP_TMP:-}" ] && trap "" EXIT # debugging: keep $TMP
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_fake_telegram "$TOKEN" it_serversan_bot
T0=1772438400000 # Monday 2 March 2026, 08:00 UTC (the chats' zone): minute M is T0 + M min
NOW=$T0

start_alerts_server() { # at the clock's current time $NOW (a restart continues where it stopped)
	SERVERSAN_TEST_CLOCK=$NOW SERVERSAN_SERVER_PUBLIC_URL=$URL SERVERSAN_SERVER_BOT_TOKEN=$TOKEN \
		SERVERSAN_SERVER_BOT_API_URL=$FAKE_URL SERVERSAN_SERVER_BOT_ADMINS=$ALICE start_server
	wait_for 10 grep -q "is running" "$TMP/server.log" || fail "the bot did not start: $(cat "$TMP/server.log")"
}

calls() { curl -fsS "$FAKE_URL/sim/calls"; }
MARK=0
show() { # prints what the users saw since the last show
	calls | python3 "$(dirname "$0")/transcript.py" "$MARK" "{\"$ALICE\": \"Alice\", \"$BOB\": \"Bob\"}" \
		2>"$TMP/mark" | tee -a "$TMP/transcript"
	MARK=$(cat "$TMP/mark")
}
note() { echo "── $* (clock $(date -u -d @$((NOW / 1000)) '+%a %H:%M'))" | tee -a "$TMP/transcript"; }

# sent CHAT: the messages the bot sent to CHAT and Telegram accepted (texts, and captions of the
# alerts' charts), one per line (newlines inside as ' / '), oldest first.
sent() {
	calls | python3 -c '
import json, sys
for c in json.load(sys.stdin)["result"]:
    if c["method"] in ("sendMessage", "sendPhoto") and c["status"] == 200 and str(c["params"]["chat_id"]) == sys.argv[1]:
        m = c["answer"]["result"]
        text = m.get("text", m.get("caption", ""))
        print("#%s reply_to=%s %s" % (m["message_id"], m.get("reply_to_message", {}).get("message_id", "-"), text.replace("\n", " / ")))' "$1"
}
# count CHAT REGEX: messages to CHAT matching REGEX.
count() { sent "$1" | grep -cE "$2" || true; }
expect_count() { # CHAT REGEX N WHAT
	local n
	n=$(count "$1" "$2")
	[ "$n" -eq "$3" ] || fail "$4: $n messages match '$2' in chat $1, expected $3: $(sent "$1")"
}
# message CHAT ID: that message's text as it stands now (edits applied).
message() {
	curl -fsS "$FAKE_URL/sim/messages?chat_id=$1" | python3 -c '
import json, sys
print(next(m.get("text", m.get("caption", "")) for m in json.load(sys.stdin)["result"] if m["message_id"] == int(sys.argv[1])))' "$2"
}
last_id() { sent "$1" | grep -E "$2" | tail -1 | sed -E 's/^#([0-9]+) .*/\1/'; }

# say USER CHAT TEXT: a user types TEXT; returns once the bot answered with a message.
say() {
	local before name
	before=$(sent "$2" | wc -l)
	name=$([ "$1" = $ALICE ] && echo Alice || echo Bob)
	echo "👤 $name: $3" | tee -a "$TMP/transcript"
	sim command "{\"user\":{\"id\":$1,\"first_name\":\"$name\",\"language_code\":\"en\"},\"chat\":{\"id\":$2,\"type\":\"private\"},\"text\":\"$3\"}" >/dev/null
	answered() { [ "$(sent "$2" | wc -l)" -gt "$before" ]; }
	wait_for 15 answered "$1" "$2" || fail "no answer to '$3': $(tail -5 "$TMP/server.log")"
	show
}
# press USER CHAT MESSAGE DATA LABEL: a button press; returns once Telegram got its answer.
press() {
	local name before
	name=$([ "$1" = $ALICE ] && echo Alice || echo Bob)
	before=$(curl -fsS "$FAKE_URL/sim/calls?method=answerCallbackQuery" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["result"]))')
	echo "👤 $name presses [$5] on #$3" | tee -a "$TMP/transcript"
	sim callback "{\"user\":{\"id\":$1,\"first_name\":\"$name\"},\"chat\":{\"id\":$2,\"type\":\"private\"},\"message_id\":$3,\"data\":\"$4\"}" >/dev/null
	answered_cb() { [ "$(curl -fsS "$FAKE_URL/sim/calls?method=answerCallbackQuery" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["result"]))')" -gt "$before" ]; }
	wait_for 15 answered_cb || fail "no answer to the press of $4"
}
# add USER NAME: /add NAME in USER's chat; keeps the handed-out token in $TMP/NAME.token.
add() {
	say "$1" "$1" "/add $2"
	sent "$1" | tail -1 | grep -oE 'ssa1_[0-9A-Za-z_]+' >"$TMP/$2.token" || fail "/add $2 handed out no token"
}

# drive: the driver reads its script from stdin (report_driver.cpp).
drive() {
	local args=() f
	for f in "$TMP"/*.token; do args+=(--server "$(basename "$f" .token)=$f"); done
	"$DRIVER" --url "$URL" --now "$NOW" "${args[@]}" 2>>"$TMP/driver.log" || fail "driver: $(tail -3 "$TMP/driver.log")"
}
# minutes FROM TO SERVER:KEY=VALUE,... ...: one report a minute of each server from minute FROM
# to TO-1 (after T0), the clock moved to each minute first; then the clock stands at minute TO.
minutes() {
	python3 - "$T0" "$@" <<'PY' | drive
import sys
t0, a, b, specs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
for m in range(a, b):
    t = t0 + m * 60000
    print("at %d" % t)
    for s in specs:
        name, _, kv = s.partition(":")
        print("report %s %d %s" % (name, t, kv.replace(",", " ")))
print("at %d" % (t0 + b * 60000))
PY
	NOW=$((T0 + $2 * 60000))
}
clock_to_minute() {
	curl -fsS -X POST -d "{\"set_ms\":$((T0 + $1 * 60000))}" "$URL/test/clock" >/dev/null || fail "moving the clock"
	NOW=$((T0 + $1 * 60000))
}

start_alerts_server
grep -q "TEST CLOCK" "$TMP/server.log" || fail "no warning about the test clock in the log"
started=$SECONDS
echo "---- transcript ----"
say $ALICE $ALICE "/start"
add $ALICE web1
add $ALICE web2
add $ALICE web3
add $ALICE db1
say $BOB $BOB "/start"
add $BOB bob1
ALL_OK="web1:cpu=20 web2:cpu=15 web3:cpu=10 db1:cpu=5 bob1:cpu=12"

note "an hour of normal reports from every server"
minutes 0 60 $ALL_OK
show
expect_count $ALICE "web1 ·" 0 "an alert while everything was normal"

note "web1's CPU at 97 % for 20 minutes (the rule: > 90 % for 10 min)"
minutes 60 80 web1:cpu=97,top=backup.sh:180 web2:cpu=15 web3:cpu=10 db1:cpu=5 bob1:cpu=12
show
expect_count $ALICE "web1 · CPU" 1 "web1's CPU alert (fire once, then hold)"
FIRING=$(last_id $ALICE "web1 · CPU")
note "back to 20 %"
minutes 80 90 $ALL_OK
show
expect_count $ALICE "web1 · CPU back to" 1 "web1's CPU resolved"
sent $ALICE | grep -E "web1 · CPU back to" | grep -q "reply_to=$FIRING " || fail "the resolved message does not reply to #$FIRING: $(sent $ALICE)"
message $ALICE "$FIRING" | grep -q "Resolved" || fail "the firing message #$FIRING was not edited to resolved: $(message $ALICE "$FIRING")"

echo "---- end of transcript ($((SECONDS - started)) s) ----"
grep -q "$TOKEN" "$TMP/server.log" && fail "the bot token is in the log"
calls >"$TMP/calls.json"
echo "PASS"
