#!/usr/bin/env python3
"""What the users of a chat see, from the fake Bot API's call log (GET /sim/calls on stdin): each
accepted call that shows something, as Telegram would show it (text after HTML parsing, buttons,
the message it replies to, edits). Usage: transcript.py START NAMES_JSON [SENT_FILE] < calls.json,
where NAMES maps chat ids to who reads them ({"1001": "Alice"}). Prints the calls from index START
on; the new index goes to stderr. SENT_FILE gets every message sent so far, one a line, for grep:
"CHAT #ID reply_to=ID|- TEXT" (the text's lines joined by " / ")."""
import json
import sys

start = int(sys.argv[1])
names = json.loads(sys.argv[2])
calls = json.load(sys.stdin)["result"]


def keyboard(p):  # sendPhoto goes as multipart: its reply_markup is a JSON string
    kb = p.get("reply_markup") or {}
    return (json.loads(kb) if isinstance(kb, str) else kb).get("inline_keyboard", [])


for c in calls[start:]:
    m, p, a = c["method"], c["params"], c["answer"]
    if not a.get("ok"):
        continue  # refused by Telegram: nothing shown (a retry that succeeds follows)
    who = names.get(str(p.get("chat_id")), "chat %s" % p.get("chat_id"))
    msg = a.get("result") if isinstance(a.get("result"), dict) else {}
    if m == "answerCallbackQuery":
        if p.get("text"):
            print("   (%s: %s)" % ("pop-up" if p.get("show_alert") else "toast", p["text"]))
        continue
    if m == "sendMessage":
        reply = msg.get("reply_to_message", {}).get("message_id")
        silent = " 🔕" if p.get("disable_notification") else ""
        print("🤖 → %s [#%s]%s%s" % (who, msg.get("message_id"), " replying to #%s" % reply if reply else "", silent))
    elif m == "sendPhoto":
        reply = msg.get("reply_to_message", {}).get("message_id")
        print("🤖 → %s [#%s] 🖼 a chart%s" % (who, msg.get("message_id"), " replying to #%s" % reply if reply else ""))
    elif m in ("editMessageText", "editMessageCaption"):
        print("🤖 → %s edits #%s:" % (who, p.get("message_id")))
    elif m == "editMessageReplyMarkup":
        print("🤖 → %s changes the buttons of #%s" % (who, p.get("message_id")))
    else:
        continue
    if m in ("sendMessage", "editMessageText", "editMessageCaption", "sendPhoto"):
        text = msg.get("text", msg.get("caption", p.get("text", "")))
        for line in text.split("\n"):
            print("   | " + line)
    for row in keyboard(p):
        print("   " + "  ".join("[%s]" % b["text"] for b in row))
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as out:
        for c in calls:
            if c["method"] in ("sendMessage", "sendPhoto") and c["answer"].get("ok"):
                m = c["answer"]["result"]
                out.write("%s #%s reply_to=%s %s\n" % (c["params"]["chat_id"], m["message_id"],
                          m.get("reply_to_message", {}).get("message_id", "-"),
                          m.get("text", m.get("caption", "")).replace("\n", " / ")))
print(len(calls), file=sys.stderr)
