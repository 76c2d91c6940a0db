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
# KEEP_TMP=1: keep $TMP (logs, database, transcript) for a look afterwards; the processes still end.
[ -n "${KEEP_TMP:-}" ] && trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; echo "kept $TMP"' EXIT
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_fake_telegram "$TOKEN" it_serversan_bot
started=$SECONDS
TEAM=-100777     # Alice's and Bob's team's group
T0=1772438400000 # Monday 2 March 2026, 08:00 UTC (the chats' zone): minute M is T0 + M min
NOW=$T0

start_alerts_server() { # at the clock's current time $NOW (a restart continues where it stopped)
	SERVERSAN_TEST_CLOCK=$NOW SERVERSAN_SERVER_PUBLIC_URL=$URL SERVERSAN_SERVER_BOT_TOKEN=$TOKEN \
		SERVERSAN_SERVER_BOT_API_URL=$FAKE_URL SERVERSAN_SERVER_BOT_ADMINS=$ALICE start_server
	wait_for 10 grep -q "is running" "$TMP/server.log" || fail "the bot did not start: $(cat "$TMP/server.log")"
}

calls() { curl -fsS "$FAKE_URL/sim/calls"; }
MARK=0
# show: prints what the users saw since the last show, and keeps every message sent so far in
# $TMP/sent for the checks below (one read of the fake's log per step, not one per check).
show() {
	calls | python3 "$(dirname "$0")/transcript.py" "$MARK" "{\"$ALICE\": \"Alice\", \"$BOB\": \"Bob\", \"$TEAM\": \"Team (group)\"}" \
		"$TMP/sent" 2>"$TMP/mark" | tee -a "$TMP/transcript"
	MARK=$(cat "$TMP/mark")
}
note() { echo "── $* (clock $(date -u -d @$((NOW / 1000)) '+%a %H:%M'); test at $((SECONDS - started)) s)" | tee -a "$TMP/transcript"; }

# sent CHAT: the messages sent to CHAT as of the last show (texts, and captions of the alerts'
# charts), one a line: "#ID reply_to=ID|- TEXT".
sent() { grep "^$1 " "$TMP/sent" | cut -d' ' -f2- || true; }
# replies: how many messages the bot has sent in all (Telegram accepted), live.
replies() { curl -fsS "$FAKE_URL/sim/calls?method=sendMessage" | { grep -o '"status":200' || true; } | wc -l; }
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

# chat_json CHAT: a user's private chat, or (a negative id) the team's group.
chat_json() { if [ "$1" -lt 0 ]; then echo "{\"id\":$1,\"type\":\"supergroup\",\"title\":\"Team\"}"; else echo "{\"id\":$1,\"type\":\"private\"}"; fi; }
# button CHAT ID LABEL: the callback data of the button LABEL (a prefix) under message ID now.
button() {
	curl -fsS "$FAKE_URL/sim/messages?chat_id=$1" | python3 -c '
import json, sys
m = next(m for m in json.load(sys.stdin)["result"] if m["message_id"] == int(sys.argv[1]))
print(next(b["callback_data"] for row in m["reply_markup"]["inline_keyboard"] for b in row if b["text"].startswith(sys.argv[2])))' "$2" "$3"
}
# say USER CHAT TEXT: a user types TEXT; returns once the bot answered with a message.
say() {
	local before name
	before=$(replies)
	name=$([ "$1" = $ALICE ] && echo Alice || echo Bob)
	echo "👤 $name: $3" | tee -a "$TMP/transcript"
	sim command "{\"user\":{\"id\":$1,\"first_name\":\"$name\",\"language_code\":\"en\"},\"chat\":$(chat_json "$2"),\"text\":\"$3\"}" >/dev/null
	answered() { [ "$(replies)" -gt "$before" ]; }
	wait_for 15 answered || fail "no answer to '$3': $(tail -5 "$TMP/server.log")"
	show
}
# press USER CHAT MESSAGE DATA LABEL: a button press; returns once Telegram got its answer.
press() {
	local name before
	name=$([ "$1" = $ALICE ] && echo Alice || echo Bob)
	callbacks() { curl -fsS "$FAKE_URL/sim/calls?method=answerCallbackQuery" | { grep -o '"status":200' || true; } | wc -l; }
	before=$(callbacks)
	echo "👤 $name presses [$5] on #$3" | tee -a "$TMP/transcript"
	sim callback "{\"user\":{\"id\":$1,\"first_name\":\"$name\"},\"chat\":$(chat_json "$2"),\"message_id\":$3,\"data\":\"$4\"}" >/dev/null
	answered_cb() { [ "$(callbacks)" -gt "$before" ]; }
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
# A value {EXPR} is computed from the minute m.
minutes() {
	python3 - "$T0" "$@" <<'PY' | drive
import sys
t0, a, b, specs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
import re
for m in range(a, b):
    t = t0 + m * 60000
    print("at %d" % t)
    for s in specs:
        name, _, kv = s.partition(":")
        # {expression of m}: a value that changes by the minute (a disk filling up)
        kv = re.sub(r"\{([^}]*)\}", lambda x: str(int(eval(x.group(1), {"m": m}))), kv)
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
echo "---- transcript ----"
say $ALICE $ALICE "/start"
add $ALICE web1
add $ALICE web2
add $ALICE web3
add $ALICE db1
say $BOB $BOB "/start"
add $BOB bob1
# Each server's normal report. db1's disk fills by 10 MB a minute (14.4 GB a day, 60 GB free:
# full in about four days); web1's disk is flat.
W1="web1:cpu=20,fs=/:20000000000:100000000000" W2="web2:cpu=15" W3="web3:cpu=10"
DB="db1:cpu=5,fs=/:{40000000000+m*10000000}:100000000000" B1="bob1:cpu=12"
ALL_OK="$W1 $W2 $W3 $DB $B1"

note "an hour of normal reports from every server"
minutes 0 60 $ALL_OK
show
expect_count $ALICE "· CPU" 0 "an alert while everything was normal"

note "web1's CPU at 97 % for 20 minutes (the rule: > 90 % for 10 min)"
minutes 60 80 web1:cpu=97,top=backup.sh:180 $W2 $W3 $DB $B1
show
expect_count $ALICE "web1 · CPU 9" 1 "web1's CPU alert (fire once, then hold)"
FIRING=$(last_id $ALICE "web1 · CPU 9")
note "back to 20 %"
minutes 80 90 $ALL_OK
show
expect_count $ALICE "web1 · CPU back to" 1 "web1's CPU resolved"
# The value now, not the 10-minute average that cleared (73.9 %).
expect_count $ALICE "web1 · CPU back to 20% after" 1 "web1's CPU resolved, saying the CPU now"
sent $ALICE | grep -E "web1 · CPU back to" | grep -q "reply_to=$FIRING " || fail "the resolved message does not reply to #$FIRING: $(sent $ALICE)"
message $ALICE "$FIRING" | grep -q "Resolved" || fail "the firing message #$FIRING was not edited to resolved: $(message $ALICE "$FIRING")"
# Its evidence reads as when it fired: a clock time, not "14 min ago" recomputed at the edit.
message $ALICE "$FIRING" | sed "s/<[^>]*>//g" | grep -q "Top CPU · 09:09 UTC" || fail "the evidence of #$FIRING drifted: $(message $ALICE "$FIRING")"
message $ALICE "$FIRING" | grep -q "ago" && fail "a relative time in the edited #$FIRING: $(message $ALICE "$FIRING")"

note "web1's CPU flaps around 90 % for 30 minutes; web2's CPU at 99 % for 5 minutes only"
python3 - "$T0" <<'PY' | drive
import sys
t0 = int(sys.argv[1])
for m in range(90, 120):
    t = t0 + m * 60000
    print("at %d" % t)
    print("report web1 %d cpu=%d" % (t, 95 if m % 2 else 86))
    print("report web2 %d cpu=%d" % (t, 99 if m < 95 else 15))
    for s in ("web3 %d cpu=10", "db1 %d cpu=5 fs=/:" + str(40000000000 + m * 10000000) + ":100000000000", "bob1 %d cpu=12"):
        print("report " + s % t)
PY
NOW=$((T0 + 120 * 60000))
minutes 120 135 $ALL_OK
show
expect_count $ALICE "web1 · CPU 9" 2 "the flapping CPU (one alert for the flap, not one per crossing)"
expect_count $ALICE "web1 · CPU back to" 2 "the flapping CPU's one recovery"
expect_count $ALICE "web2 · CPU" 0 "web2's 5 minutes (the rule wants 10)"

note "web3 stops reporting for 10 minutes"
minutes 135 145 $W1 $W2 $DB $B1
show
expect_count $ALICE "web3 is offline" 1 "web3 offline"
OFFLINE=$(last_id $ALICE "web3 is offline")
minutes 145 150 $ALL_OK
show
expect_count $ALICE "web3 is back online" 1 "web3 back online"
sent $ALICE | grep -E "web3 is back online" | grep -q "reply_to=$OFFLINE " || fail "back online does not reply to #$OFFLINE"

note "web1's CPU at 97 % again; Alice snoozes it; bob1's CPU at 98 % (Bob's own alert)"
minutes 150 162 web1:cpu=97 $W2 $W3 $DB bob1:cpu=98
show
expect_count $ALICE "web1 · CPU 9" 3 "web1's third CPU alert"
SNOOZE=$(last_id $ALICE "web1 · CPU 9")
press $ALICE $ALICE "$SNOOZE" "al:s:1:cpu" "💤 Snooze 1 h"
minutes 162 163 web1:cpu=97 $W2 $W3 $DB bob1:cpu=98
show
expect_count $BOB "bob1 · CPU" 1 "Bob's own CPU alert"
note "the CPU recovers and breaches again within the hour of the snooze"
minutes 163 175 web1:cpu=20 $W2 $W3 $DB $B1
minutes 175 190 web1:cpu=97 $W2 $W3 $DB $B1
show
expect_count $ALICE "web1 · CPU 9" 3 "a CPU alert of web1 while snoozed"

note "web2's RAM at 95 %; Alice mutes web2; then its CPU at 99 % for 15 minutes"
minutes 190 198 web1:cpu=20 web2:cpu=15,mem=95 $W3 $DB $B1
show
expect_count $ALICE "web2 · RAM" 1 "web2's RAM alert"
MUTE=$(last_id $ALICE "web2 · RAM")
press $ALICE $ALICE "$MUTE" "al:m:2:ram" "🔇 Mute server"
minutes 198 215 $W1 web2:cpu=99,mem=95 $W3 $DB $B1
show
expect_count $ALICE "web2 · CPU" 0 "a CPU alert of web2 while muted"
minutes 215 230 $ALL_OK
show

note "db1's CPU at 97 %; ServerSan restarts while it fires"
minutes 230 245 $W1 $W2 $W3 db1:cpu=97,fs=/:{40000000000+m*10000000}:100000000000 $B1
show
expect_count $ALICE "db1 · CPU 9" 1 "db1's CPU alert"
DBFIRING=$(last_id $ALICE "db1 · CPU 9")
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "the server exited non-zero after SIGTERM"
echo "(ServerSan restarts)" | tee -a "$TMP/transcript"
start_alerts_server
minutes 245 255 $W1 $W2 $W3 db1:cpu=97,fs=/:{40000000000+m*10000000}:100000000000 $B1
show
expect_count $ALICE "db1 · CPU 9" 1 "db1's CPU alert after the restart (no repeat)"
minutes 255 265 $ALL_OK
show
sent $ALICE | grep -E "db1 · CPU back to" | grep -q "reply_to=$DBFIRING " || fail "db1's recovery after the restart does not reply to #$DBFIRING: $(sent $ALICE)"
expect_count $ALICE "is offline|servers offline" 1 "servers announced offline after ServerSan's restart (only web3's outage before it)"

note "web1, web2 and web3 go silent together for 15 minutes (a rack loses power)"
minutes 265 280 $DB $B1
show
expect_count $ALICE "3 servers offline" 1 "one message for the grouped outage"
expect_count $ALICE "web[123] is offline" 1 "one message per server instead of the group's (only web3's earlier one)"
note "they come back; web1 first sends the 15 minutes it kept (CPU at 99 % for 10 of them, over before it could report: never an alert)"
python3 - "$T0" <<'PY' | drive
import sys
t0 = int(sys.argv[1])
print("at %d" % (t0 + 280 * 60000))
print("backlog web1 %d 60000 10 cpu=99" % (t0 + 265 * 60000))
print("backlog web1 %d 60000 5 cpu=20" % (t0 + 275 * 60000))
PY
minutes 280 290 $ALL_OK
show
expect_count $ALICE "web1 · CPU 9" 3 "a stale CPU alert from web1's backfill"

note "quiet hours 13:00-14:00 with critical alerts let through"
say $ALICE $ALICE "/notify quiet 13:00-14:00"
say $ALICE $ALICE "/notify critical on"
minutes 290 300 $ALL_OK
note "web2's RAM at 95 % from 13:00 to 13:10 (a warning that fires and clears inside the quiet hours)"
minutes 300 310 $W1 web2:cpu=15,mem=95 $W3 $DB $B1
note "web1's CPU at 97 % from 13:10 (a warning: held), web3 offline at 13:20 (critical: at once)"
minutes 310 320 web1:cpu=97 $W2 $W3 $DB $B1
minutes 320 330 web1:cpu=97 $W2 $DB $B1
show
expect_count $ALICE "web1 · CPU 9" 3 "a warning during quiet hours"
expect_count $ALICE "web3 is offline" 2 "a critical alert during quiet hours"
minutes 330 361 web1:cpu=97 $W2 $W3 $DB $B1
show
expect_count $ALICE "web1 · CPU 9" 4 "the warning held until the quiet hours ended"
# Held: it says so, and how long it has lasted when it goes out (13:10 to 14:00), not "for 9 min".
HELD=$(last_id $ALICE "web1 · CPU 9")
message $ALICE "$HELD" | sed "s/<[^>]*>//g" | grep -q "web1 · CPU 97% for 50 min" || fail "the held warning's duration: $(message $ALICE "$HELD")"
message $ALICE "$HELD" | grep -q "Held during quiet hours" || fail "the held warning does not say it was held: $(message $ALICE "$HELD")"
# web2's RAM fired and cleared while held: one message says both, no stale alert or recovery.
expect_count $ALICE "web2 · RAM 9[0-9.]*% during quiet hours · resolved after" 1 "web2's RAM as one message after the quiet hours"
expect_count $ALICE "web2 · RAM" 3 "web2's RAM messages (the morning's alert and recovery, the quiet hours' one)"

note "the disk-full forecast: db1 fills 14.4 GB a day; web1's disk is flat"
minutes 361 400 $ALL_OK
show
expect_count $ALICE "db1 · .* will be full" 1 "db1's disk-full forecast"
expect_count $ALICE "web1 · .* will be full" 0 "a forecast for web1's flat disk"

note "Alice asks for a daily digest at 15:00 (her zone is UTC); Bob asks for none"
say $ALICE $ALICE "/notify digest 15"
minutes 400 425 $ALL_OK
show
DIGEST="Daily digest · Mon 2 Mar"
expect_count $ALICE "$DIGEST" 1 "Monday's digest at 15:00"
expect_count $BOB "Daily digest · " 0 "a digest for Bob, who asked for none"
# The day's alerts of this test, from its start: the morning's CPU alert, web3's
# outage, db1's CPU across the restart, the rack's outage, the quiet hours' two; not what the
# snooze and the mute kept from her (web1's CPU at 10:55, web2's CPU); the forecast as a trend.
D=$(sent $ALICE | grep "$DIGEST")
for line in "Servers online: 4/4" "Alerts · last 24 h" "web1 · CPU 97% at 09:00 UTC · lasted 22 min" \
	"web3 · offline at 10:14 UTC · lasted 11 min" "db1 · CPU 97% at 11:50 UTC · lasted 26 min" \
	"3 servers offline at 12:24 UTC · lasted 16 min: web1, web2, web3" "web1 · CPU 97% at 13:10 UTC · lasted 53 min" \
	"db1 · Disk / full around Fri 6 Mar"; do
	echo "$D" | grep -qE "$line" || fail "Monday's digest lacks '$line': $D"
done
# Twelve alerts in ten lines: the rack's outage (three servers at 12:24) is one, as its alert was.
[ "$(echo "$D" | grep -oE "(✅|🟠|🔴) ([a-z0-9]+ · (CPU|RAM|offline)|[0-9]+ servers offline)" | wc -l)" -eq 10 ] || fail "Monday's digest lists other than the day's 12 alerts in 10 lines: $D"
echo "$D" | grep -qE "web1 · CPU 9[0-9.]*% at 10:5|web2 · CPU 9" && fail "the digest lists an alert the snooze or the mute kept from Alice: $D"
echo "$D" | grep -q "bob1" && fail "Bob's server in Alice's digest: $D"
minutes 425 480 $ALL_OK
show
expect_count $ALICE "Daily digest · " 1 "a second digest on Monday"

note "the office's uplink goes down at 16:00 for the night: no reports until Tuesday 14:30"
for m in $(seq 490 30 $((24 * 60 + 6 * 60 + 30))); do clock_to_minute "$m"; done # the night, half-hourly
minutes $((24 * 60 + 6 * 60 + 30)) $((24 * 60 + 7 * 60 + 10)) $ALL_OK
show
expect_count $ALICE "Daily digest · " 2 "Tuesday's digest (one a day, again the next day)"
D=$(sent $ALICE | grep "Daily digest · Tue 3 Mar")
[ -n "$D" ] || fail "no digest dated Tuesday: $(sent $ALICE | grep "Daily digest")"
# Tuesday's list is the last 24 hours: the night's outage (from its last report, dated as it
# began yesterday), not Monday morning's CPU.
echo "$D" | grep -qE "4 servers offline at 03-02 15:59 UTC · lasted 22 h 3[0-9] min: db1, web1, web2, web3" || fail "Tuesday's digest lacks the night's outage: $D"
echo "$D" | grep -q "09:09 UTC" && fail "Tuesday's digest repeats Monday morning's alert: $D"
minutes $((24 * 60 + 7 * 60 + 10)) $((24 * 60 + 7 * 60 + 30)) $ALL_OK
show
expect_count $ALICE "Daily digest · " 2 "a second digest on Tuesday"
expect_count $BOB "Daily digest · " 0 "a digest for Bob, who asked for none"

note "one kind to a group: Alice sends web2's RAM alerts to her team's group, from the group"
say $BOB $TEAM "/threshold web2 ram 80 here"
expect_count $TEAM "Only a server's owner" 1 "Bob routing Alice's server"
say $ALICE $TEAM "/threshold web2 ram 80 here"
expect_count $TEAM "web2: RAM alerts now come to this chat: > 80%" 1 "the rule's route set from the group"
ALICE_RAM=$(count $ALICE "web2 · RAM")
M=$((24 * 60 + 7 * 60 + 30))
minutes $M $((M + 15)) $W1 web2:cpu=15,mem=95 $W3 $DB $B1
show
expect_count $TEAM "web2 · RAM [0-9.]+% for" 1 "web2's RAM alert in the group"
expect_count $ALICE "web2 · RAM" "$ALICE_RAM" "web2's RAM alert in Alice's chat as well as the group's"
# Bob, in the group, snoozes it there (the group may look at web2 for its alerts' buttons).
GROUP_RAM=$(last_id $TEAM "web2 · RAM [0-9.]+% for")
snoozes() { curl -fsS "$FAKE_URL/sim/calls?method=answerCallbackQuery" | grep -o "Snoozed until" | wc -l; }
SNOOZES=$(snoozes)
press $BOB $TEAM "$GROUP_RAM" "$(button $TEAM "$GROUP_RAM" "💤")" Snooze
[ "$(snoozes)" -gt "$SNOOZES" ] || fail "Bob's snooze in the group was refused"
minutes $((M + 15)) $((M + 30)) $ALL_OK
show
expect_count $TEAM "web2 · RAM back to" 1 "web2's RAM resolved in the group, where it fired"
sent $TEAM | grep -E "web2 · RAM back to" | grep -q "reply_to=$GROUP_RAM " || fail "the group's recovery does not reply to #$GROUP_RAM"
expect_count $ALICE "web2 · RAM" "$ALICE_RAM" "web2's RAM recovery in Alice's chat"

note "a tag's rule and a whole server's route: db1 tagged #db (CPU alerts from 80 %), db1's alerts sent to the group"
say $ALICE $ALICE "/tag db1 db"
say $ALICE $ALICE "/threshold #db cpu 80"
say $ALICE $TEAM "/route db1"
expect_count $TEAM "Alerts of db1 now go to this group" 1 "db1 routed to the group"
ALICE_DB=$(count $ALICE "db1 · CPU")
minutes $((M + 30)) $((M + 45)) $W1 $W2 $W3 "${DB/cpu=5/cpu=85}" $B1
show
expect_count $TEAM "db1 · CPU 8[0-9.]*% for .*Threshold > 80%" 1 "db1's CPU at 85 % under #db's 80 % rule, in the group"
expect_count $ALICE "db1 · CPU" "$ALICE_DB" "db1's CPU alert in Alice's chat though db1 is routed"
minutes $((M + 45)) $((M + 60)) $ALL_OK
show
expect_count $TEAM "db1 · CPU back to" 1 "db1's CPU resolved in the group"
say $ALICE $ALICE "/route db1 off"

# Bob saw only his own server, Alice never his.
sent $BOB | grep -E "web[123]|db1" && fail "Bob received Alice's alerts"
sent $ALICE | grep -E "bob1" && fail "Alice received Bob's alerts"
echo "---- end of transcript ($((SECONDS - started)) s) ----"
grep -q "$TOKEN" "$TMP/server.log" && fail "the bot token is in the log"
calls >"$TMP/calls.json"
echo "PASS"
