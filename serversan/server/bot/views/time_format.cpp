#include "serversan/server/bot/views/time_format.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <date/tz.h>
#include <exception>

#include <fmt/format.h>

namespace serversan::bot::views {

namespace {

std::string unit(Lang lang, std::string_view key, int64_t n) {
	return tr(lang, key, {{"n", std::to_string(n)}});
}

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

} // namespace

std::string format_duration(Lang lang, int64_t seconds) {
	if (seconds < 0)
		seconds = 0;
	int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60, s = seconds % 60;
	auto pair = [&](std::string a, int64_t n, std::string_view key) {
		return n == 0 ? a : a + " " + unit(lang, key, n);
	};
	if (d > 0)
		return pair(unit(lang, "status.unit.day", d), h, "status.unit.hour");
	if (h > 0)
		return pair(unit(lang, "status.unit.hour", h), m, "status.unit.min");
	if (m > 0)
		return unit(lang, "status.unit.min", m);
	return unit(lang, "status.unit.sec", s);
}

std::string format_ago(Lang lang, int64_t then_ms, int64_t now_ms) {
	int64_t s = (now_ms - then_ms) / 1000;
	if (s < 10)
		return std::string(tr(lang, "status.just_now"));
	return tr(lang, "status.ago", {{"time", format_duration(lang, s)}});
}

std::string format_local_time(int64_t unix_ms, std::string_view zone) {
	using namespace std::chrono;
	// Years 1970..9999: an agent's clock can say anything, and the calendar arithmetic below
	// must not overflow on it.
	unix_ms = std::clamp<int64_t>(unix_ms, 0, 253'402'128'000'000); // 9999-12-30
	date::sys_time<milliseconds> t{milliseconds{unix_ms}};
	seconds offset{0};
	if (const date::time_zone* z = find_zone(zone))
		offset = z->get_info(t).offset;
	// The wall clock in the zone, computed as a UTC time shifted by the zone's offset at t.
	auto shifted = t + offset;
	auto day = date::floor<date::days>(shifted);
	date::year_month_day ymd{day};
	date::hh_mm_ss hms{date::floor<seconds>(shifted - day)};
	int64_t off_min = duration_cast<minutes>(offset).count();
	std::string off;
	if (off_min != 0) {
		off = fmt::format("{}{}", off_min < 0 ? '-' : '+', std::abs(off_min) / 60);
		if (off_min % 60 != 0)
			off += fmt::format(":{:02}", std::abs(off_min) % 60);
	}
	return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC{}", static_cast<int>(ymd.year()),
	                   static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
	                   hms.hours().count(), hms.minutes().count(), off);
}

bool is_known_time_zone(std::string_view zone) {
	return find_zone(zone) != nullptr;
}

} // namespace serversan::bot::views
