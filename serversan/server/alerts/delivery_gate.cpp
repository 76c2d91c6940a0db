#include "serversan/server/alerts/delivery_gate.h"

#include "serversan/server/alerts/chat_zone.h"
#include "serversan/server/alerts/delivery.h"

namespace serversan::alerts {

DeliveryGate store_delivery_gate(store::Store& store) {
	return [&store](int64_t chat, const AlertMessage& m, int64_t now_ms) -> DeliveryVerdict {
		auto settings = store.chat_settings(chat);
		auto silences = store.silences(chat, now_ms);
		if (!settings.ok() || !silences.ok())
			return {};
		const std::string zone = chat_zone(store, *settings);
		const bool critical = m.severity == "critical";
		Delivery d = decide(*settings, m.kind, critical, *silences, m.server_id, zone, now_ms);
		if (m.state == NoticeState::resolved && d.action == Delivery::Action::drop) {
			// Only quiet hours may hold a recovery: decide again without the switch, kinds, silences.
			store::ChatSettings quiet_only = *settings;
			quiet_only.notify = true;
			quiet_only.muted_kinds.clear();
			d = decide(quiet_only, m.kind, critical, {}, m.server_id, zone, now_ms);
		}
		switch (d.action) {
		case Delivery::Action::send:
			return {true, 0, d.silent};
		case Delivery::Action::hold:
			// decide() says silent only for "send": a held warning keeps the chat's wish too.
			return {true, d.hold_until_ms, !critical && settings->silent_warnings};
		case Delivery::Action::drop:
			return {false, 0};
		}
		return {};
	};
}

} // namespace serversan::alerts
