#include "serversan/server/fleet/server_state.h"

#include <algorithm>

namespace serversan::fleet {

ServerState server_state(std::optional<int64_t> last_seen_ms, std::optional<double> interval_s,
                         int64_t now_ms) {
	if (!last_seen_ms)
		return ServerState::never;
	double interval = std::clamp(interval_s.value_or(60.0), 0.1, 3600.0);
	int64_t quiet_after = std::max(kOfflineMinMs, static_cast<int64_t>(3 * interval * 1000));
	return now_ms - *last_seen_ms > quiet_after ? ServerState::offline : ServerState::online;
}

std::string_view state_name(ServerState state) {
	switch (state) {
	case ServerState::online:
		return "online";
	case ServerState::offline:
		return "offline";
	case ServerState::never:
		break;
	}
	return "new";
}

} // namespace serversan::fleet
