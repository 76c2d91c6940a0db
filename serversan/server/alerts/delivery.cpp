#include "serversan/server/alerts/delivery.h"

#include <algorithm>

#include "serversan/server/alerts/quiet_hours.h"

namespace serversan::alerts {

bool covers(const store::AlertSilence& silence, uint64_t server_id, std::string_view kind, int64_t now_ms) {
	if (silence.server_id && *silence.server_id != server_id)
		return false;
	if (!silence.kind.empty() && silence.kind != kind)
		return false;
	return !silence.until_ms || *silence.until_ms > now_ms;
}

Delivery decide(const store::ChatSettings& settings, std::string_view kind, bool critical,
                std::span<const store::AlertSilence> silences, uint64_t server_id, std::string_view zone,
                int64_t now_ms) {
	using A = Delivery::Action;
	using W = Delivery::Why;
	if (!settings.notify)
		return {A::drop, W::notifications_off};
	const auto& muted = settings.muted_kinds;
	if (std::find(muted.begin(), muted.end(), kind) != muted.end())
		return {A::drop, W::kind_off};
	for (const auto& s : silences)
		if (s.chat_id == settings.chat_id && covers(s, server_id, kind, now_ms))
			return {A::drop, W::silenced};
	if (settings.quiet_from_min && settings.quiet_to_min && !(critical && settings.quiet_lets_critical)) {
		if (auto until = quiet_until(*settings.quiet_from_min, *settings.quiet_to_min, zone, now_ms))
			return {A::hold, W::quiet_hours, *until};
	}
	return {A::send, W::none, 0, !critical && settings.silent_warnings};
}

} // namespace serversan::alerts
