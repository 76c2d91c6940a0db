// Offline: a server is offline when it has been silent longer than
//   max(the rule's minutes, 3 of its report intervals, 3 minutes),
// silence counted from its last report, or from the alert engine's start if that is later:
// while ServerSan itself was down no report could arrive, so its restart does not mark every
// server offline at once. A server that never reported is never offline (the 30-minute cleanup
// of unused servers handles it). Pure: the caller passes the times.
#pragma once

#include <cstdint>
#include <optional>

namespace serversan::alerts {

inline constexpr int64_t kOfflineFloorMs = 3 * 60'000;
inline constexpr int kOfflineIntervals = 3;

// How long a server may be silent before it counts as offline. floor_ms: the 3 minutes (an
// integration test runs with seconds: alerts.offline_floor).
int64_t offline_after_ms(int64_t interval_ms, double rule_minutes, int64_t floor_ms = kOfflineFloorMs);

bool is_offline(std::optional<int64_t> last_report_ms, int64_t interval_ms, double rule_minutes,
                int64_t started_ms, int64_t now_ms, int64_t floor_ms = kOfflineFloorMs);

} // namespace serversan::alerts
