#include "serversan/server/alerts/quiet_hours.h"

#include "serversan/server/alerts/zone_time.h"

namespace serversan::alerts {

std::optional<int64_t> quiet_until(int from_min, int to_min, std::string_view zone, int64_t now_ms) {
	if (from_min == to_min || from_min < 0 || to_min < 0 || from_min >= kMinutesPerDay ||
	    to_min >= kMinutesPerDay)
		return std::nullopt;
	const LocalClock now = local_clock(zone, now_ms);
	bool wraps = from_min > to_min;
	bool inside = wraps ? (now.minute >= from_min || now.minute < to_min)
	                    : (now.minute >= from_min && now.minute < to_min);
	if (!inside)
		return std::nullopt;
	// A wrapping span entered before midnight ends on the next calendar day.
	int64_t end_day = wraps && now.minute >= from_min ? now.day + 1 : now.day;
	return local_instant(zone, end_day, to_min);
}

} // namespace serversan::alerts
