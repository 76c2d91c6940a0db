// Humane numbers for chat messages and charts: sizes, rates, shares and counts as a person reads
// them on a phone. Sizes are binary (KiB = 1024 B: what df, free and htop show); rates are bytes
// per second, in the same units as the totals beside them (Nezha and ServerStatus do the same), so
// "↓ 93 KiB/s" and "total 85 GiB" can be compared at a glance. Three significant digits at most:
// more is noise on a value that changes every minute. English and Chinese group digits the same
// way (1,234), so these take no language; words (durations, "ago") live in the bot's
// views/time_format.h.
#pragma once

#include <cstdint>
#include <string>

namespace serversan {

// "0 B", "980 B", "1.5 KiB", "51.3 GiB", "394 MiB", "2.0 TiB" (PiB beyond).
std::string format_bytes(double bytes);
// format_bytes() + "/s".
std::string format_rate(double bytes_per_s);
// The fleet table's four-character form: "980B", "47K", "1.2M", "15G" (the column says "/s").
std::string format_bytes_compact(double bytes);
// "0%", "0.1%", "9.5%", "39%", "100%": one decimal below 10 %, where it still means something.
// Values outside 0..100 are clamped (an agent's rounding can give 100.0001).
std::string format_percent(double percent);
// Load averages: "0.42", "3.75", "12.3", "128".
std::string format_load(double load);
// Integers with thousands separators: "1,234,567".
std::string format_count(uint64_t n);
// Used of total as a whole percentage in 0..100; 0 when total is 0.
double percent_of(uint64_t used, uint64_t total);

} // namespace serversan
