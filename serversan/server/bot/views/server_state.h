// Whether a server is reporting: the rule is shared with the web API (fleet/server_state.h); the
// bot adds its icons.
#pragma once

#include <string_view>

#include "serversan/server/fleet/server_state.h"

namespace serversan::bot::views {

using fleet::kOfflineMinMs;
using fleet::server_state;
using fleet::ServerState;

// 🟢, 🔴, ⚪
std::string_view state_icon(ServerState state);

} // namespace serversan::bot::views
