// Wall-clock time in an IANA time zone (a chat's User::time_zone or ChatSettings::time_zone),
// through date-tz and the system's tzdata. Shared by the bot's texts and the charts' time axis,
// so "17:00" means the same instant in a message and on a picture. Never throws: an unknown or
// empty zone is UTC.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace serversan {

// The broken-down local time of an instant; offset_s is the zone's UTC offset at that instant.
struct LocalTime {
	int year = 1970;
	unsigned month = 1, day = 1; // 1-based
	unsigned weekday = 4;        // 0 = Sunday
	int hour = 0, minute = 0, second = 0;
	int64_t offset_s = 0;
};

// True if zone names a time zone the system's tz database knows.
bool is_known_zone(std::string_view zone);
// The zone's UTC offset in seconds at unix_ms (0 for an unknown zone).
int64_t zone_offset_s(std::string_view zone, int64_t unix_ms);
// unix_ms read on a wall clock in zone. Years 1970..9999: an agent's clock can say anything.
LocalTime local_time(int64_t unix_ms, std::string_view zone);
// "UTC", "UTC+8", "UTC-3:30": an offset as people write it beside a time.
std::string utc_offset_label(int64_t offset_s);

} // namespace serversan
