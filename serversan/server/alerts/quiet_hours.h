// Quiet hours: a daily span of wall-clock minutes [from, to) in the chat's time zone that may wrap
// midnight (23:00-07:00). Wall clock, not a fixed offset: "until 07:00" is 07:00 on the clock after
// a DST change too. An end that does not exist that night (07:00 skipped by a spring-forward) is
// the moment the clocks jump; an end that happens twice (fall-back) is its first occurrence.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace serversan::alerts {

inline constexpr int kMinutesPerDay = 24 * 60;

// The instant (Unix ms) the quiet span that contains now_ms ends, or nothing if now_ms is outside
// it. from == to is no span at all. An unknown zone is UTC (a zone is checked when it is set).
std::optional<int64_t> quiet_until(int from_min, int to_min, std::string_view zone, int64_t now_ms);

} // namespace serversan::alerts
