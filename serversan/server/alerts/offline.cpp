#include "serversan/server/alerts/offline.h"

#include <algorithm>

namespace serversan::alerts {

int64_t offline_after_ms(int64_t interval_ms, double rule_minutes, int64_t floor_ms) {
	auto rule_ms = static_cast<int64_t>(std::max(rule_minutes, 0.0) * 60'000);
	return std::max({rule_ms, kOfflineIntervals * std::max<int64_t>(interval_ms, 0), floor_ms});
}

bool is_offline(std::optional<int64_t> last_report_ms, int64_t interval_ms, double rule_minutes,
                int64_t started_ms, int64_t now_ms, int64_t floor_ms) {
	if (!last_report_ms)
		return false;
	int64_t from = std::max(*last_report_ms, started_ms);
	return now_ms - from > offline_after_ms(interval_ms, rule_minutes, floor_ms);
}

} // namespace serversan::alerts
