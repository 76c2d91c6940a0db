// Times for chat messages: spans ("3 d 4 h", "5 min"), how long ago ("2 min ago") and wall-clock
// times in the reader's IANA time zone (User::time_zone). Words come from the catalogue
// (status.unit.*), so each language reads naturally ("3 天 4 小时", "2 分钟前"). Nothing here reads
// a clock: callers pass now from the injected Clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "serversan/server/bot/i18n.h"

namespace serversan::bot::views {

// The two largest units that matter: "3 d 4 h", "5 h 12 min", "5 min", "42 s". Negative is 0 s.
std::string format_duration(Lang lang, int64_t seconds);
// "just now" under 10 s (or in the future: a skewed agent clock), else "5 min ago".
std::string format_ago(Lang lang, int64_t then_ms, int64_t now_ms);
// "2024-06-10 17:39 UTC+8" in the zone named by zone (e.g. "Asia/Shanghai"); an unknown or empty
// name falls back to UTC, never throws.
std::string format_local_time(int64_t unix_ms, std::string_view zone);
// "15:42 UTC+1" for a time on the reader's today (in zone), "12-06 15:42 UTC+1" otherwise: the
// times in alert messages and toasts, short enough for one line on a phone.
std::string format_short_time(int64_t unix_ms, std::string_view zone, int64_t now_ms);
// The calendar day in zone: "Tue 15 Dec", "12月15日（周二）" (a forecast's date).
std::string format_day(Lang lang, int64_t unix_ms, std::string_view zone);
// True if zone names a time zone the system's tz database knows (/timezone validates with it).
bool is_known_time_zone(std::string_view zone);

} // namespace serversan::bot::views
