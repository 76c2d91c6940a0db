// A Reply as the payload of an outbox row (kind "reply"), so that a queued message survives a
// restart exactly as the handler built it. Rows of kind "message" (alerts, jobs) carry just the
// HTML text and become a plain send.
#pragma once

#include <string>

#include "serversan/core/result.h"
#include "serversan/server/bot/outgoing.h"

namespace serversan::bot {

inline constexpr const char* kOutboxReply = "reply";
inline constexpr const char* kOutboxMessage = "message";
// Queued by the alert engine (alerts/alert_message.h, kOutboxKindAlert): facts, rendered at send time.
inline constexpr const char* kOutboxAlert = "alert";

std::string encode_reply(const Reply& r);
// An error for a payload this build cannot read (hand-edited, or written by a newer one).
Result<Reply> decode_reply(const std::string& payload);

} // namespace serversan::bot
