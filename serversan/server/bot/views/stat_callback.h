// The /stat buttons' callback data: "st:<server id>" opens (or refreshes) one server's status.
// Parsing only reads the id; whether the chat may see that server is the access check's job
// (callback data comes from the client and is never trusted).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace serversan::bot::views {

inline constexpr std::string_view kStatCallbackPrefix = "st:";
// The Refresh button under a detail view ("sr:<id>"): edits that message in place, where "st:"
// (from the fleet view and the lookup) opens the detail as a new message below them.
inline constexpr std::string_view kStatRefreshPrefix = "sr:";

std::string stat_callback_data(uint64_t server_id); // at most 23 bytes: within Telegram's 64
std::string stat_refresh_callback_data(uint64_t server_id);
// The id in "st:<decimal id>", or nothing for anything else (no sign, no spaces, no overflow).
std::optional<uint64_t> parse_stat_callback(std::string_view data);

} // namespace serversan::bot::views
