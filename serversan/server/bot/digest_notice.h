// A daily digest (outbox row of kind alerts::kOutboxKindDigest, alerts/digest.h) made into the text
// message the sender sends, at send time in the chat's language and zone as they are now. Silent
// as the job decided (quiet hours: the chat chose the hour, so it is not held, only quiet). Only
// a payload that does not decode is an error (the row is given up).
#pragma once

#include "serversan/core/result.h"
#include "serversan/server/bot/outgoing.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

Result<Reply> render_digest(store::Store& store, const store::OutboxMessage& row, int64_t now_ms);

} // namespace serversan::bot
