// Whether a server is reporting: online, offline (its agent went quiet) or never reported. A
// server is offline once its last report is older than three of its report intervals (so one
// lost report is not an outage) and at least three minutes (short intervals jitter; cppla's
// ServerStatus had to raise its delay to stop flapping). The alerts issue owns the offline *alert*
// and its own, user-set minutes; this is only what /stat, /list and the dashboard show.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace serversan::fleet {

enum class ServerState { online, offline, never };

inline constexpr int64_t kOfflineMinMs = 3 * 60'000;

ServerState server_state(std::optional<int64_t> last_seen_ms, std::optional<double> interval_s,
                         int64_t now_ms);
// "online", "offline", "new" (the web API's words).
std::string_view state_name(ServerState state);

} // namespace serversan::fleet
