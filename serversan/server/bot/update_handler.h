// UpdateHandler: where the poller and the webhook hand each Telegram update. handle() returns once
// the update's effects are in the store and its replies are queued (Outgoing); only then does the
// poller confirm the update_id (and persist it), so a crash in between repeats an update instead
// of losing it, and the dispatcher's per-update work is idempotent where it matters.
#pragma once

#include "serversan/server/bot/telegram/types.h"

namespace serversan::bot {

class UpdateHandler {
public:
	virtual ~UpdateHandler() = default;
	// Must not throw and must not block on the network: it runs on the poller's thread.
	virtual void handle(const telegram::Update& update) = 0;
};

} // namespace serversan::bot
