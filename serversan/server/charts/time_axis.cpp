#include "serversan/server/charts/time_axis.h"

#include <array>
#include <cstdlib>

#include <fmt/format.h>

#include "serversan/core/zone_time.h"

namespace serversan::charts {

namespace {

constexpr int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr std::array<int64_t, 13> kSteps = {5 * kMin,  10 * kMin, 15 * kMin, 30 * kMin,  kHour,
                                            2 * kHour, 3 * kHour, 6 * kHour, 12 * kHour, kDay,
                                            2 * kDay,  7 * kDay,  14 * kDay};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int64_t floor_div(int64_t a, int64_t b) {
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

std::string date_label(const DateWords& words, int month, int day) {
	size_t m = static_cast<size_t>(month - 1) % 12;
	std::string out = words.pattern;
	auto put = [&out](std::string_view what, std::string_view with) {
		if (size_t at = out.find(what); at != std::string::npos)
			out.replace(at, what.size(), with);
	};
	put("{month}", words.months[m].empty() ? kMonths[m] : words.months[m]);
	put("{day}", std::to_string(day));
	return out;
}

std::vector<TimeTick> time_ticks(int64_t from_ms, int64_t to_ms, std::string_view zone, int max_ticks,
                                 const DateWords& words) {
	std::vector<TimeTick> out;
	if (to_ms <= from_ms || max_ticks < 1)
		return out;
	int64_t step = kSteps.back();
	for (int64_t s : kSteps)
		if ((to_ms - from_ms) / s <= max_ticks) {
			step = s;
			break;
		}
	// Align in local time: a tick where the wall clock is a multiple of the step (weeks start on
	// Monday; 1970-01-01 was a Thursday, so local day numbers + 3 are Monday-based).
	int64_t shift = step >= 7 * kDay ? 3 * kDay : 0;
	int64_t off = zone_offset_s(zone, from_ms) * 1000;
	int64_t t = (floor_div(from_ms + off + shift, step) + 1) * step - shift - off;
	for (int guard = 0; t < to_ms && guard < 64; ++guard, t += step) {
		LocalTime lt = local_time(t, zone);
		// A daylight-saving change moves the wall clock under the ticks: put them back on it.
		int64_t drift = (lt.offset_s * 1000 - off);
		if (drift != 0 && step > std::abs(drift)) {
			t -= drift;
			off = lt.offset_s * 1000;
			lt = local_time(t, zone);
		}
		if (t <= from_ms || t >= to_ms)
			continue;
		TimeTick tick;
		tick.ms = t;
		tick.day = lt.hour == 0 && lt.minute == 0;
		if (tick.day || step >= kDay)
			tick.label = date_label(words, lt.month, lt.day);
		else
			tick.label = fmt::format("{:02}:{:02}", lt.hour, lt.minute);
		out.push_back(std::move(tick));
	}
	return out;
}

std::string zone_label(std::string_view zone, int64_t ms) {
	return utc_offset_label(zone_offset_s(zone, ms));
}

} // namespace serversan::charts
