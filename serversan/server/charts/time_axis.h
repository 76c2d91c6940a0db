// Ticks of a chart's time axis in the chat's IANA time zone (core/zone_time.h): on the hour, the
// half hour or local midnight, whichever step leaves about max_ticks labels. A label is "14:00",
// or the date ("Dec 7") at local midnight and on day steps, so a 7-day chart reads by day and a
// 24-hour chart by hour with the day change marked.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace serversan::charts {

struct TimeTick {
	int64_t ms = 0;
	std::string label;
	bool day = false; // at local midnight: drawn a little stronger
};

// How a date tick reads in the reader's language: the pattern's {month} and {day} replaced by
// the month's name and the day; an empty name is the English one ("Dec").
struct DateWords {
	std::string pattern = "{month} {day}";
	std::array<std::string, 12> months;
};

std::vector<TimeTick> time_ticks(int64_t from_ms, int64_t to_ms, std::string_view zone, int max_ticks,
                                 const DateWords& words = {});
// "UTC", "UTC+8", "UTC-3:30": the zone's offset at ms, for the chart's subtitle.
std::string zone_label(std::string_view zone, int64_t ms);

} // namespace serversan::charts
