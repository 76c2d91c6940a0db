// The values /notify accepts when typed, parsed without a chat: "on"/"off", a span of the day
// "23:00-07:00", an interval "4h"/"30m"/"1h30m", an hour "9"/"09:00". Each returns nothing for
// anything else, and the handler says what is accepted. Shared with the buttons' callback data,
// which carry the same values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace serversan::bot::commands {

inline constexpr int64_t kMinReminderS = 10 * 60;          // less would be a flood, not a reminder
inline constexpr int64_t kMaxReminderS = 7 * 24 * 60 * 60; // more is "off" in practice

std::optional<bool> parse_on_off(std::string_view s); // on/off, any case
// Minutes after midnight: "23:00", "23", "7:05"; 0..1439.
std::optional<int> parse_clock(std::string_view s);
// "23:00-07:00" (also with an en dash or "23-7"): [from, to) in minutes; from != to.
std::optional<std::pair<int, int>> parse_span(std::string_view s);
// "4h", "30m", "1h30m", "2d" in seconds, within [kMinReminderS, kMaxReminderS].
std::optional<int64_t> parse_interval(std::string_view s);
// A whole hour: "9", "09", "09:00"; 0..23.
std::optional<int> parse_hour(std::string_view s);

} // namespace serversan::bot::commands
