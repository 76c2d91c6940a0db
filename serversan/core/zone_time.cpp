#include "serversan/core/zone_time.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <date/tz.h>
#include <exception>

#include <fmt/format.h>

namespace serversan {

namespace {

// The zone, or nullptr if the tz database does not know it (or cannot be read at all).
const date::time_zone* find_zone(std::string_view zone) {
	if (zone.empty())
		return nullptr;
	try {
		return date::locate_zone(zone);
	} catch (const std::exception&) {
		return nullptr;
	}
}

int64_t clamp_ms(int64_t unix_ms) {
	return std::clamp<int64_t>(unix_ms, 0, 253'402'128'000'000); // 9999-12-30
}

} // namespace

bool is_known_zone(std::string_view zone) {
	return find_zone(zone) != nullptr;
}

int64_t zone_offset_s(std::string_view zone, int64_t unix_ms) {
	const date::time_zone* z = find_zone(zone);
	if (!z)
		return 0;
	date::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds{clamp_ms(unix_ms)}};
	return z->get_info(t).offset.count();
}

LocalTime local_time(int64_t unix_ms, std::string_view zone) {
	using namespace std::chrono;
	date::sys_time<milliseconds> t{milliseconds{clamp_ms(unix_ms)}};
	LocalTime out;
	if (const date::time_zone* z = find_zone(zone))
		out.offset_s = z->get_info(t).offset.count();
	// The wall clock in the zone, computed as a UTC time shifted by the zone's offset at t.
	auto shifted = t + seconds{out.offset_s};
	auto day = date::floor<date::days>(shifted);
	date::year_month_day ymd{day};
	date::hh_mm_ss hms{date::floor<seconds>(shifted - day)};
	out.year = static_cast<int>(ymd.year());
	out.month = static_cast<unsigned>(ymd.month());
	out.day = static_cast<unsigned>(ymd.day());
	out.weekday = date::weekday{day}.c_encoding();
	out.hour = static_cast<int>(hms.hours().count());
	out.minute = static_cast<int>(hms.minutes().count());
	out.second = static_cast<int>(hms.seconds().count());
	return out;
}

std::string utc_offset_label(int64_t offset_s) {
	int64_t off_min = offset_s / 60;
	if (off_min == 0)
		return "UTC";
	std::string s = fmt::format("UTC{}{}", off_min < 0 ? '-' : '+', std::abs(off_min) / 60);
	if (off_min % 60 != 0)
		s += fmt::format(":{:02}", std::abs(off_min) % 60);
	return s;
}

} // namespace serversan
