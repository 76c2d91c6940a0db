// Registration: the store's record of a Telegram user, created from the first update they send
// (so a private chat works from the first message) and refreshed by /start: username, display
// name, and the admin role for ids in BotSettings.admins. A role set in the roles table is kept;
// a language the user picked with /language is kept; /start also clears bot_blocked.
#pragma once

#include <cstdint>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

Result<store::User> register_user(store::Store& store, const std::vector<int64_t>& admins,
                                  const telegram::User& from, bool refresh, int64_t now_ms);

} // namespace serversan::bot
