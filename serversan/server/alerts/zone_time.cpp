#include "serversan/server/alerts/zone_time.h"

#include <chrono>
#include <date/date.h>
#include <date/tz.h>
#include <exception>

#include <fmt/format.h>

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

LocalClock local_clock(std::string_view zone, int64_t unix_ms) {
	using namespace std::chrono;
	auto local = zone_or_utc(zone)->to_local(date::sys_time<milliseconds>{milliseconds{unix_ms}});
	auto day = date::floor<date::days>(local);
	return {day.time_since_epoch().count(), static_cast<int>(duration_cast<minutes>(local - day).count())};
}

int64_t local_instant(std::string_view zone, int64_t day, int minute_of_day) {
	using namespace std::chrono;
	auto local = date::local_seconds{date::days{day}} + minutes{minute_of_day};
	// date-tz: a skipped local time maps to the transition, earliest picks the first of two.
	auto sys = zone_or_utc(zone)->to_sys(local, date::choose::earliest);
	return duration_cast<milliseconds>(sys.time_since_epoch()).count();
}

std::string local_date(int64_t day) {
	date::year_month_day ymd{date::sys_days{date::days{day}}};
	return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
	                   static_cast<unsigned>(ymd.day()));
}

} // namespace serversan::alerts
