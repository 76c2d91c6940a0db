// An alert notice (outbox row of kind alerts::kOutboxKindAlert) made into what the sender sends,
// at send time: rendered in the chat's language and zone as they are now (a notice held through
// quiet hours reads right when it goes out), silent if the chat wants its warnings silent
// (alerts::decide()'s rule).
//
//   firing    a photo (the last hour's sparkline with the threshold) with the text as caption,
//             and the buttons; a text message if the chart cannot be drawn, has no data, or the
//             caption would pass Telegram's 1,024 characters.
//   reminder  a text reply to the firing message, with the buttons.
//   resolved  a text reply to the firing message; once it is sent, an edit of the firing message
//             (its "Resolved" line, buttons removed) is queued as a row of its own, so a failed
//             edit is retried without sending the reply twice.
// The firing message is found by the firing notice's dedupe key (alert_dedupe_key(..., "firing")):
// its outbox row keeps the Telegram message id. Without one (never sent, or dropped) the reply and
// reminder go out as plain messages and nothing is edited.
//
// Held through quiet hours (AlertMessage::quiet_until_ms), a firing says so and how long it has
// lasted at sending; if its recovery is already queued, the firing goes out as one silent message
// saying both (views::quiet_resolved_text) and the recovery row is covered: never sent itself.
// A held reminder whose recovery is queued is replaced by that recovery (reply and edit).
//
// With mates (alert_group.h), one message for them all: grouped firing notices a text listing
// them (no chart), grouped recoveries one reply, and the edit of a grouped message redraws it.
//
// Only a payload that does not decode is an error (the row is given up); a failed store read
// degrades (English, UTC, no chart, no reply) rather than losing the notice.
#pragma once

#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/bot/alert_group.h"
#include "serversan/server/bot/outgoing.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

struct AlertSend {
	Reply first;                    // sent for the row itself
	std::vector<Reply> then;        // queued once first is sent (each with its dedupe key)
	std::vector<std::string> group; // a grouped firing message: its members' firing keys
	std::vector<uint64_t> covered;  // other outbox rows this message says: marked sent with it
};

Result<AlertSend> render_alert(store::Store& store, const store::OutboxMessage& row,
                               const std::vector<GroupRow>& mates, int64_t now_ms);
inline Result<AlertSend> render_alert(store::Store& store, const store::OutboxMessage& row, int64_t now_ms) {
	return render_alert(store, row, {}, now_ms);
}

} // namespace serversan::bot
