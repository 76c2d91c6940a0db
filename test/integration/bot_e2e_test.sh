#!/usr/bin/env bash
# The bot end to end as a user lives it: the real server, the fake Bot API binary and the real
# agent. /start, /add web1, the agent runs the handed-out token and reports, the "web1 is
# reporting" notice arrives, /stat shows this machine's real values (fleet view, its button, the
# detail's Refresh), a deep link, the admin's /fleet, /list, /threshold, /notify, /chart (a
# photo), /rename, /reinstall (the old token stops, the new one reports), a group chat (an admin
# adds with /add@bot, a member may look but not delete), a 429 storm, a restart with a reply
# still queued (sent once after it), /delete with its confirmation, and the agent's next report
# is refused (401).
# The whole conversation (each bot message's text and buttons, in order) is printed, so a person
# can read it as the user would.
source "$(dirname "$0")/lib.sh"
TOKEN="424242:e2e-SECRET_token_abcdefghijklmnop"
CHAT=1001 # the fake's default user, Alice, in her private chat
bot_test_init "$@"
calls() { curl -fsS "$FAKE_URL/sim/calls"; }

# What the user sees, from the fake's call log: every call that shows something in the chat,
# rendered as Telegram would (the text after HTML parsing), with its buttons and its status.
# Prints the calls after index $1 and, last, the new index.
render() {
	calls | python3 -c '
import json, sys
start = int(sys.argv[1])
calls = json.load(sys.stdin)["result"]
def keyboard(p):  # sendPhoto goes as multipart: its reply_markup is a JSON string
    kb = p.get("reply_markup") or {}
    return (json.loads(kb) if isinstance(kb, str) else kb).get("inline_keyboard", [])
shown = {"sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "deleteMessage"}
for c in calls[start:]:
    m, p, a = c["method"], c["params"], c["answer"]
    if m not in shown:
        continue
    failed = "" if a.get("ok") else "  [refused by Telegram: %s]" % a.get("description")
    if m == "answerCallbackQuery":
        if p.get("text"):
            kind = "pop-up" if p.get("show_alert") else "toast"
            print("   (%s: %s)%s" % (kind, p["text"], failed))
        continue
    if m == "deleteMessage":
        print("🤖 deletes message %s%s" % (p.get("message_id"), failed))
        continue
    msg = a.get("result") if isinstance(a.get("result"), dict) else {}
    if m == "sendPhoto":
        print("🤖 [#%s] 🖼 a chart%s" % (msg.get("message_id", "?"), failed))
        for line in msg.get("caption", "").split("\n"):
            print("   | " + line)
        for row in keyboard(p):
            print("   " + "  ".join("[%s]" % b["text"] for b in row))
        continue
    chat = p.get("chat_id")
    where = "" if str(chat) == "1001" else " (in chat %s)" % chat
    head = {"sendMessage": "🤖 [#%s]%s" % (msg.get("message_id", "?"), where),
            "editMessageText": "🤖 edits #%s:" % p.get("message_id"),
            "editMessageReplyMarkup": "🤖 changes the buttons of #%s" % p.get("message_id")}[m]
    print(head + failed)
    if failed:
        continue  # not shown in the chat: Telegram refused it (the retry that succeeds follows)
    if m != "editMessageReplyMarkup":
        for line in msg.get("text", p.get("text", "")).split("\n"):
            print("   | " + line)
    for row in keyboard(p):
        print("   " + "  ".join("[%s]" % b["text"] for b in row))
print(len(calls), file=sys.stderr)
' "$1" 2>"$TMP/mark"
}
MARK=0
show() {
	render "$MARK" | tee -a "$TMP/transcript"
	MARK=$(cat "$TMP/mark")
}
user_says() {
	echo "👤 Alice: $1" | tee -a "$TMP/transcript"
	sim command "{\"text\":\"$1\"}" >/dev/null || fail "injecting '$1'"
}
user_presses() { # message_id callback_data label
	echo "👤 Alice presses [$3] on #$1" | tee -a "$TMP/transcript"
	sim callback "{\"message_id\":$1,\"data\":\"$2\"}" >/dev/null || fail "pressing $2"
}
converse() { # a command and the one message it is answered with
	user_says "$1"
	await sendMessage 1
	show
}
count() { # calls of method $1 that Telegram accepted
	calls | python3 -c 'import json, sys; print(sum(1 for c in json.load(sys.stdin)["result"] if c["method"] == sys.argv[1] and c["status"] == 200))' "$1"
}
at_least() { [ "$(count "$1")" -ge "$2" ]; }
# await METHOD N: waits until N more accepted calls of METHOD than when last awaited; 15 s at
# most (the notices run every 5 s, and the suite loads the machine).
declare -A SEEN
await() {
	local want=$((${SEEN[$1]:-0} + $2))
	wait_for 15 at_least "$1" "$want" || fail "no $1 number $want: $(cat "$TMP/server.log")"
	SEEN[$1]=$want
}
last_sent() { # field of the newest accepted sendMessage answer: message_id or text
	curl -fsS "$FAKE_URL/sim/calls?method=sendMessage" | python3 -c '
import json, sys
ok = [c for c in json.load(sys.stdin)["result"] if c["status"] == 200]
print(ok[-1]["answer"]["result"][sys.argv[1]])' "$1"
}
message() { # the text of message $1 as it stands now
	curl -fsS "$FAKE_URL/sim/messages?chat_id=$CHAT" | python3 -c '
import json, sys
print(next(m.get("text", "") for m in json.load(sys.stdin)["result"] if m["message_id"] == int(sys.argv[1])))' "$1"
}
agent() { "$AGENT" --server "$URL" --token-file "$TMP/agent.token" --state-file "$TMP/agent.state" "$@"; }

start_bot_server() {
	SERVERSAN_SERVER_PUBLIC_URL=$URL SERVERSAN_SERVER_BOT_TOKEN=$TOKEN SERVERSAN_SERVER_BOT_API_URL=$FAKE_URL \
		SERVERSAN_SERVER_BOT_ADMINS=$CHAT start_server
}
start_bot_server
wait_for 10 grep -q "is running" "$TMP/server.log" || fail "the bot did not start: $(cat "$TMP/server.log")"
started=$SECONDS

echo "---- transcript ----"
converse "/start"
grep -q "Alice" <<<"$(last_sent text)" || fail "/start does not greet Alice"

converse "/add web1"
ADDED=$(last_sent text)
grep -q "web1 added" <<<"$ADDED" || fail "/add web1 did not add: $ADDED"
# The install line as handed out: install.sh from the public URL, the token, the URL.
grep -qE "^curl -fsSL $URL/install.sh \| sudo sh -s -- ssa1_[0-9A-Za-z_]+ $URL\$" <<<"$ADDED" ||
	fail "no install line for $URL in: $ADDED"
grep -oE 'ssa1_[0-9A-Za-z_]+' <<<"$ADDED" >"$TMP/agent.token"
chmod 600 "$TMP/agent.token"

# The agent, as install.sh would run it, with the token from the chat: one report.
echo "(the agent runs on this machine with that token: one report)" | tee -a "$TMP/transcript"
agent --once 2>"$TMP/agent1.log" || fail "the agent's report was refused: $(cat "$TMP/agent1.log")"
await sendMessage 1 # the jobs' first-report event, told by the bot (checked every 5 s)
show
NOTICE=$(last_sent text)
grep -q "web1 is reporting: .*$(nproc) cores" <<<"$NOTICE" || fail "no 'web1 is reporting' notice: $NOTICE"

converse "/stat"
FLEET=$(last_sent message_id)
grep -q "web1" <<<"$(last_sent text)" || fail "/stat does not list web1"

user_presses "$FLEET" "st:1" "🟢 web1"
await answerCallbackQuery 1
await sendMessage 1
show
DETAIL=$(last_sent message_id)
DETAIL_TEXT=$(last_sent text)
# This machine's real values: its hostname, its core count, a CPU line.
HOST=$(hostname)
grep -q "^Host $HOST" <<<"$DETAIL_TEXT" || fail "the detail does not show host $HOST"
grep -qE "^CPU [0-9.]+% · $(nproc) cores" <<<"$DETAIL_TEXT" || fail "the detail has no CPU line for $(nproc) cores"
grep -q "^RAM " <<<"$DETAIL_TEXT" || fail "the detail has no RAM line"

# A second report, then Refresh: the detail is edited in place (or left as is if nothing shown changed).
echo "(the agent reports once more)" | tee -a "$TMP/transcript"
agent --once 2>"$TMP/agent2.log" || fail "the second report was refused: $(cat "$TMP/agent2.log")"
user_presses "$DETAIL" "sr:1" "🔄 Refresh"
await answerCallbackQuery 1
wait_for 10 at_least editMessageText 1 || fail "Refresh did not edit the detail"
show
grep -q "^Host $HOST" <<<"$(message "$DETAIL")" || fail "the refreshed detail lost its host line"

# A deep link to the server (t.me/<bot>?start=stat_1), and the admin's view (Alice is the
# configured admin).
converse "/start stat_1"
grep -q "^Host $HOST" <<<"$(last_sent text)" || fail "the stat_1 deep link did not open web1: $(last_sent text)"
converse "/fleet"
FLEET_TEXT=$(last_sent text)
grep -q "^Users: 1 · 0 blocked the bot · 0 banned$" <<<"$FLEET_TEXT" || fail "/fleet users: $FLEET_TEXT"
grep -q "^Servers: 1 · 1 reporting · 0 offline · 0 never reported$" <<<"$FLEET_TEXT" || fail "/fleet servers: $FLEET_TEXT"
grep -qE "^Reports: 0.03/s \(2 in the last minute\)$" <<<"$FLEET_TEXT" || fail "/fleet reports: $FLEET_TEXT"

# The other commands as a user types them.
converse "/list"
grep -q "web1" <<<"$(last_sent text)" || fail "/list does not show web1: $(last_sent text)"
converse "/threshold web1 cpu 95 5m"
grep -q "web1: CPU > 95% for 5 min" <<<"$(last_sent text)" || fail "/threshold did not set: $(last_sent text)"
converse "/notify quiet 23:00-07:00"
grep -q "23:00" <<<"$(last_sent text)" || fail "/notify quiet did not set: $(last_sent text)"
user_says "/chart web1"
await sendPhoto 1
show
curl -fsS "$FAKE_URL/sim/photos" | python3 -c '
import json, sys
p = json.load(sys.stdin)["result"][-1]
assert p["chat_id"] == 1001 and p["size"] > 1000 and "web1" in p["caption"], p' || fail "/chart sent no chart of web1"
converse "/rename web1 web-one"
grep -q "web-one" <<<"$(last_sent text)" || fail "/rename did not rename: $(last_sent text)"
converse "/rename web-one web1"

# /reinstall: a confirmation, then a new install line; the old token stops at once.
converse "/reinstall web1"
REI=$(last_sent message_id)
user_presses "$REI" "reiok:1" "🔑 New token"
await answerCallbackQuery 1
new_line() { message "$REI" | grep -q "ssa1_"; }
wait_for 10 new_line || fail "no new install line after /reinstall: $(message "$REI")"
show
cp "$TMP/agent.token" "$TMP/old.token"
grep -oE 'ssa1_[0-9A-Za-z_]+' <<<"$(message "$REI")" >"$TMP/agent.token"
cmp -s "$TMP/agent.token" "$TMP/old.token" && fail "/reinstall handed out the old token"
"$AGENT" --server "$URL" --token-file "$TMP/old.token" --state-file "$TMP/agent.state" --once 2>"$TMP/agent-old.log" &&
	fail "the old token still reports after /reinstall"
agent --once 2>"$TMP/agent-new.log" || fail "the new token does not report: $(cat "$TMP/agent-new.log")"
echo "(the old token is refused, the new one reports)" | tee -a "$TMP/transcript"

# A group chat: Alice is its administrator, Bob a member. Servers added there are the group's;
# members look, only admins delete.
GROUP='{"id":-100500,"type":"supergroup","title":"Ops"}'
BOB='{"id":2002,"first_name":"Bob","language_code":"en"}'
sim member "{\"chat\":$GROUP,\"status\":\"administrator\"}" >/dev/null
sim member "{\"user\":$BOB,\"chat\":$GROUP,\"status\":\"member\"}" >/dev/null
echo "👤 Alice in Ops: /add@it_serversan_bot db1" | tee -a "$TMP/transcript"
sim command "{\"chat\":$GROUP,\"text\":\"/add@it_serversan_bot db1\"}" >/dev/null
await sendMessage 1
show
grep -q "db1 added" <<<"$(last_sent text)" || fail "/add@bot in the group did not add: $(last_sent text)"
echo "👤 Bob in Ops: /stat" | tee -a "$TMP/transcript"
sim command "{\"user\":$BOB,\"chat\":$GROUP,\"text\":\"/stat\"}" >/dev/null
await sendMessage 1
show
grep -q "db1" <<<"$(last_sent text)" || fail "a group member cannot see the group's server: $(last_sent text)"
grep -q "web1" <<<"$(last_sent text)" && fail "the group sees Alice's private server"
echo "👤 Bob in Ops: /delete db1" | tee -a "$TMP/transcript"
sim command "{\"user\":$BOB,\"chat\":$GROUP,\"text\":\"/delete db1\"}" >/dev/null
await sendMessage 1
show
grep -qi "admin" <<<"$(last_sent text)" || fail "a group member was not refused /delete: $(last_sent text)"

# A 429 storm: Telegram asks the bot to slow down three times; the reply still arrives, once.
sim fail '{"kind":"api_error","method":"sendMessage","error_code":429,"description":"Too Many Requests: retry after 1","retry_after":1,"times":3}' >/dev/null
converse "/help"
grep -q "/threshold" <<<"$(last_sent text)" || fail "/help after the 429s: $(last_sent text)"
storms=$(curl -fsS "$FAKE_URL/sim/calls?method=sendMessage" | python3 -c 'import json, sys; print(sum(1 for c in json.load(sys.stdin)["result"] if c["status"] == 429))')
[ "$storms" -eq 3 ] || fail "expected 3 refused sends (429), saw $storms"

# A restart with a reply still queued: Telegram fails every send, the server stops, comes back,
# and the reply goes out exactly once.
sim fail '{"kind":"api_error","method":"sendMessage","error_code":502,"description":"Bad Gateway","times":100000}' >/dev/null
user_says "/list"
failed_send() { curl -fsS "$FAKE_URL/sim/calls?method=sendMessage" | python3 -c 'import json, sys; sys.exit(0 if any(c["status"] == 502 for c in json.load(sys.stdin)["result"]) else 1)'; }
wait_for 15 failed_send || fail "the reply was never tried"
sent_before=$(count sendMessage)
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
sim clear_faults >/dev/null
echo "(ServerSan restarts with the reply still queued)" | tee -a "$TMP/transcript"
start_bot_server
await sendMessage 1
show
grep -q "web1" <<<"$(last_sent text)" || fail "the queued /list reply after the restart: $(last_sent text)"
sleep 2 # the sender's next passes: nothing is sent twice
[ "$(count sendMessage)" -eq $((sent_before + 1)) ] ||
	fail "after the restart $(($(count sendMessage) - sent_before)) messages went out instead of the one queued reply"

converse "/delete"
PICK=$(last_sent message_id)
user_presses "$PICK" "del:1" "web1"
await answerCallbackQuery 1
wait_for 10 at_least editMessageText 2 || fail "no confirmation after picking web1"
show
grep -q "Delete web1" <<<"$(message "$PICK")" || fail "no confirmation question: $(message "$PICK")"
user_presses "$PICK" "delok:1" "🗑 Delete"
await answerCallbackQuery 1
wait_for 10 at_least editMessageText 3 || fail "the confirmation did not delete"
show
grep -q "web1 deleted" <<<"$(message "$PICK")" || fail "no deletion notice: $(message "$PICK")"
grep -q "install.sh | sudo sh -s -- --uninstall" <<<"$(message "$PICK")" || fail "no uninstall line"

# The deleted server's token no longer works: 401, and the agent says so.
echo "(the agent reports again with its old token)" | tee -a "$TMP/transcript"
agent --once 2>"$TMP/agent3.log" && fail "a deleted server's report was accepted"
grep -q "HTTP 401" "$TMP/agent3.log" || fail "the refusal is not a 401: $(cat "$TMP/agent3.log")"
echo "(agent: $(grep -o 'server refused.*' "$TMP/agent3.log" | head -1))" | tee -a "$TMP/transcript"

# The detail still on screen: its Refresh now names no server of this chat, and shows nothing of it.
user_presses "$DETAIL" "sr:1" "🔄 Refresh"
await answerCallbackQuery 1
show
grep -q "not in this chat" <<<"$(calls | python3 -c 'import json, sys; print([c for c in json.load(sys.stdin)["result"] if c["method"] == "answerCallbackQuery"][-1]["params"].get("text", ""))')" ||
	fail "Refresh of a deleted server is not refused"

converse "/list"
grep -q "No servers" <<<"$(last_sent text)" || fail "/list still shows a server after /delete"
echo "---- end of transcript ($((SECONDS - started)) s) ----"

grep -q "$TOKEN" "$TMP/server.log" && fail "the bot token is in the log"
grep -q "$(cat "$TMP/agent.token")" "$TMP/server.log" && fail "the agent token is in the log"
echo "PASS"
