#include "serversan/server/alerts/quiet_hours.h"

#include <chrono>
#include <date/tz.h>
#include <exception>

namespace serversan::alerts {

namespace {

const date::time_zone* zone_or_utc(std::string_view name) {
	try {
		return date::locate_zone(name.empty() ? std::string_view("UTC") : name);
	} catch (const std::exception&) {
		return date::locate_zone("UTC");
	}
}

} // namespace

std::optional<int64_t> quiet_until(int from_min, int to_min, std::string_view zone, int64_t now_ms) {
	using namespace std::chrono;
	if (from_min == to_min || from_min < 0 || to_min < 0 || from_min >= kMinutesPerDay ||
	    to_min >= kMinutesPerDay)
		return std::nullopt;
	const date::time_zone* z = zone_or_utc(zone);
	date::sys_time<milliseconds> now{milliseconds{now_ms}};
	auto local = z->to_local(now);
	auto day = date::floor<date::days>(local);
	int minute = static_cast<int>(duration_cast<minutes>(local - day).count());
	bool wraps = from_min > to_min;
	bool inside = wraps ? (minute >= from_min || minute < to_min) : (minute >= from_min && minute < to_min);
	if (!inside)
		return std::nullopt;
	// A wrapping span entered before midnight ends on the next calendar day.
	auto end_day = wraps && minute >= from_min ? day + date::days{1} : day;
	auto end_local = date::local_seconds{end_day.time_since_epoch()} + minutes{to_min};
	// date-tz: a skipped local time maps to the transition, earliest picks the first of two.
	auto end = z->to_sys(end_local, date::choose::earliest);
	return duration_cast<milliseconds>(end.time_since_epoch()).count();
}

} // namespace serversan::alerts
