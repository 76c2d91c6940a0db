// Wall-clock days and minutes in an IANA time zone, for what happens at a local hour (quiet hours,
// the daily digest). A local time that does not exist that day (skipped by a spring-forward) is
// the moment the clocks jump, i.e. the next one that exists; one that happens twice (fall-back)
// is its first occurrence. An unknown or empty zone is UTC (a zone is checked when it is set).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace serversan::alerts {

struct LocalClock {
	int64_t day = 0; // local calendar days since 1970-01-01
	int minute = 0;  // minutes since local midnight
};

LocalClock local_clock(std::string_view zone, int64_t unix_ms);
// The instant (Unix ms) of minute_of_day on local calendar day `day` (may be >= 24 h: next days).
int64_t local_instant(std::string_view zone, int64_t day, int minute_of_day);
// "2026-03-29" for a local day.
std::string local_date(int64_t day);

} // namespace serversan::alerts
