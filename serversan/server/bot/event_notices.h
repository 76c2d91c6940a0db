// EventNotices: the jobs' events told to the owner chat. A server's first report ("web1 is
// reporting: Debian 12, x86_64, 4 cores, 7.8 GiB RAM") and a server removed for never reporting
// become messages through the sender, in the owner's language. Each message is queued in the
// store transaction that marks its event handled (Reply::handled_event), so a crash can neither
// lose one nor queue it twice. Other event kinds (offline, online) belong to the alerts and are
// left unhandled for them.
#pragma once

#include <chrono>
#include <cstddef>

#include "serversan/core/clock.h"
#include "serversan/server/bot/outgoing.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

class EventNotices {
public:
	EventNotices(store::Store& store, Outgoing& out, const Clock& clock,
	             std::chrono::minutes unused_after = std::chrono::minutes(30))
	    : store_(store), out_(out), clock_(clock), unused_after_(unused_after) {}
	// Handles what is pending; returns how many messages it queued.
	size_t step();

private:
	store::Store& store_;
	Outgoing& out_;
	const Clock& clock_;
	std::chrono::minutes unused_after_;
};

} // namespace serversan::bot
