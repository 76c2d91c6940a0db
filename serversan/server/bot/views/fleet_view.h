// /stat without an argument: one compact block per server, for reading on a phone. A name line
// (state icon, name, and for a quiet server how long it has been quiet) and, for a reporting one,
// a monospace line under a column header: CPU %, RAM %, fullest disk %, load, traffic in and out
// per second (31 characters: phones show about 35 monospace characters per line).
//
// Order: what needs a look first. Offline servers, then hot ones (a share at 90 % or more, marked
// 🟠), then the rest, then those that never reported; by name within each group.
//
// A chat with hundreds of servers gets several messages, each under Telegram's 4096 units and at
// most kFleetServersPerMessage servers, each with one button per server to open its detail view
// (callback "st:<id>"); markup is never cut.
#pragma once

#include <string>
#include <vector>

#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/bot/views/stat_data.h"
#include "serversan/server/bot/views/view_context.h"

namespace serversan::bot::views {

inline constexpr size_t kFleetServersPerMessage = 30; // 15 rows of two buttons at most

struct FleetMessage {
	std::string text; // Telegram HTML
	telegram::InlineKeyboard keyboard;
};

// At least one message (a chat without servers is told how to add one).
std::vector<FleetMessage> fleet_view(const ViewContext& ctx, const std::vector<ServerStatus>& servers);

} // namespace serversan::bot::views
