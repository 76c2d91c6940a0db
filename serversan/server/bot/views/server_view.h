// /stat <server> and the server buttons: one server's full status in one message, sections in
// the order people look (what and where, CPU, memory, disks, network, system, top processes,
// temperatures), each line short enough for a phone. Everything the agent sent is clipped and
// escaped (agent_text.h). Long lists are capped (kMax* below, with "…and N more") so the view
// always fits one message: Refresh edits it in place, which only works for a single message.
// A server that stopped reporting shows its last values under "offline for ..."; one that never
// reported says how to get it reporting.
#pragma once

#include <string>

#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/bot/views/stat_data.h"
#include "serversan/server/bot/views/view_context.h"

namespace serversan::bot::views {

inline constexpr size_t kMaxFilesystems = 12;
inline constexpr size_t kMaxInterfaces = 6;
inline constexpr size_t kMaxProcesses = 5;
inline constexpr size_t kMaxTemperatures = 6;
inline constexpr size_t kMaxAddresses = 4;

// Telegram HTML under kMaxMessageUnits.
std::string server_view(const ViewContext& ctx, const ServerStatus& status);
// Refresh ("st:<id>"): edits the message in place with a fresh server_view().
telegram::InlineKeyboard server_keyboard(Lang lang, uint64_t server_id);
// What /stat says for a server that is gone (or never was the chat's).
std::string server_not_found(Lang lang);

} // namespace serversan::bot::views
