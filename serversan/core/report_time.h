// Sample-time bounds (protocol.md, section 5): the server takes a report only if its time_ms is
// within [now - kMaxReportAgeMs, now + max_ahead_ms] of its own clock, both ends included.
//
// The request's signature bounds when a batch was signed, not the times inside it: without this
// an agent whose clock ran a year ahead stored reports a year ahead, and the newest of them stayed
// the server's latest report until real time caught up. Ahead, the bound is the timestamp window
// (the clock difference the server tolerates anyway), so a report can hold latest() for at most
// that long. Behind, it is the agent spool's age limit (7 days, docs/agent.md) plus an hour for
// clock difference and transit: a backfill after a week-long outage still goes in whole.
//
// A report outside the bounds is skipped and counted, not refused with the batch: the rest is
// stored, and the agent, answered 200, drops the bad report instead of retrying it forever.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "serversan/core/report.h"

namespace serversan {

inline constexpr int64_t kMaxReportAgeMs = (7 * 24 + 1) * 3600 * int64_t{1000};

inline bool report_time_in_bounds(int64_t time_ms, int64_t now_ms, int64_t max_ahead_ms) {
	return time_ms <= now_ms + max_ahead_ms && time_ms >= now_ms - kMaxReportAgeMs;
}

// Removes the reports outside the bounds (the others keep their order); returns how many.
inline size_t drop_reports_out_of_bounds(std::vector<Report>& reports, int64_t now_ms, int64_t max_ahead_ms) {
	return std::erase_if(
	    reports, [&](const Report& r) { return !report_time_in_bounds(r.time_ms, now_ms, max_ahead_ms); });
}

} // namespace serversan
