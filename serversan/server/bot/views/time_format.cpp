#include "serversan/server/bot/views/time_format.h"

#include <fmt/format.h>

#include "serversan/core/zone_time.h"

namespace serversan::bot::views {

namespace {

std::string unit(Lang lang, std::string_view key, int64_t n) {
	return tr(lang, key, {{"n", std::to_string(n)}});
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
	LocalTime t = local_time(unix_ms, zone);
	return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} {}", t.year, t.month, t.day, t.hour, t.minute,
	                   utc_offset_label(t.offset_s));
}

std::string format_short_time(int64_t unix_ms, std::string_view zone, int64_t now_ms) {
	LocalTime t = local_time(unix_ms, zone), now = local_time(now_ms, zone);
	std::string clock = fmt::format("{:02}:{:02} {}", t.hour, t.minute, utc_offset_label(t.offset_s));
	if (t.year == now.year && t.month == now.month && t.day == now.day)
		return clock;
	return fmt::format("{:02}-{:02} {}", t.month, t.day, clock);
}

std::string format_day(Lang lang, int64_t unix_ms, std::string_view zone) {
	LocalTime t = local_time(unix_ms, zone);
	// The n-th word of a space-separated catalogue list (names of days and months).
	auto nth = [&](std::string_view key, unsigned n) {
		std::string_view list = tr(lang, key);
		for (; n > 0 && list.find(' ') != std::string_view::npos; --n)
			list.remove_prefix(list.find(' ') + 1);
		return std::string(list.substr(0, list.find(' ')));
	};
	return tr(lang, "status.day",
	          {{"weekday", nth("status.weekdays", t.weekday)},
	           {"day", std::to_string(t.day)},
	           {"month", nth("status.months", t.month - 1)}});
}

bool is_known_time_zone(std::string_view zone) {
	return is_known_zone(zone);
}

} // namespace serversan::bot::views
