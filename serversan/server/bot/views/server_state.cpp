#include "serversan/server/bot/views/server_state.h"

#include <algorithm>

namespace serversan::bot::views {

ServerState server_state(std::optional<int64_t> last_seen_ms, std::optional<double> interval_s,
                         int64_t now_ms) {
	if (!last_seen_ms)
		return ServerState::never;
	double interval = std::clamp(interval_s.value_or(60.0), 0.1, 3600.0);
	int64_t quiet_after = std::max(kOfflineMinMs, static_cast<int64_t>(3 * interval * 1000));
	return now_ms - *last_seen_ms > quiet_after ? ServerState::offline : ServerState::online;
}

std::string_view state_icon(ServerState state) {
	switch (state) {
	case ServerState::online:
		return "🟢";
	case ServerState::offline:
		return "🔴";
	case ServerState::never:
		break;
	}
	return "⚪";
}

} // namespace serversan::bot::views
