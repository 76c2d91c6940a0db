#include "serversan/server/bot/views/server_state.h"

namespace serversan::bot::views {

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
