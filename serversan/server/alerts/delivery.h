// Whether and how an alert message reaches a chat, from the chat's settings alone: the engine asks
// before it queues a firing alert or a reminder, the bot's /notify only writes the settings. Pure
// (no store, no clock): the caller passes the chat's silences, its zone (chat_zone.h) and now.
//
// In order: notifications off, the kind turned off, or a snooze/mute that covers (server, kind)
// drop the message; inside quiet hours it is held until they end, unless it is critical and the
// chat lets critical alerts through; a warning goes out silently (disable_notification) if the
// chat asked for that. Critical alerts always ring.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "serversan/server/store/store.h"

namespace serversan::alerts {

struct Delivery {
	enum class Action { send, hold, drop };
	enum class Why { none, notifications_off, kind_off, silenced, quiet_hours };
	Action action = Action::send;
	Why why = Why::none;       // what dropped or held it
	int64_t hold_until_ms = 0; // hold: when quiet hours end (decide again then)
	bool silent = false;       // send: without a sound
	bool operator==(const Delivery&) const = default;
};

// True if silence covers an alert of kind on server_id at now_ms (a mute, until_ms empty, covers
// until it is lifted).
bool covers(const store::AlertSilence& silence, uint64_t server_id, std::string_view kind, int64_t now_ms);

Delivery decide(const store::ChatSettings& settings, std::string_view kind, bool critical,
                std::span<const store::AlertSilence> silences, uint64_t server_id, std::string_view zone,
                int64_t now_ms);

} // namespace serversan::alerts
