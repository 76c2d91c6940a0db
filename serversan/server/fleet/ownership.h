// Ownership: whose a server is, the one rule the bot and the web API share. A server belongs to
// its owner_chat; a Telegram user owns the servers of their private chat (whose id is the user's
// id). Servers added on the console (owner_chat empty) belong to the console operator, user 0.
// A server that does not exist and one that is someone else's answer the same (empty), so ids
// cannot be probed. The bot adds its group-chat rules (admins) on top (bot/access.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/store/store.h"

namespace serversan::fleet {

// The console operator: owns the servers without an owner chat.
inline constexpr int64_t kConsoleOperator = 0;

// The chat (or user) a server belongs to: owner_chat, else the console operator.
int64_t owner_of(const store::ServerRecord& server);
bool owned_by(const store::ServerRecord& server, int64_t owner);

// Server id if it exists and belongs to owner; empty otherwise.
Result<std::optional<store::ServerRecord>> owned_server(store::Store& store, int64_t owner, uint64_t id);
// Every server of owner, in id order.
Result<std::vector<store::ServerRecord>> owned_servers(store::Store& store, int64_t owner);

} // namespace serversan::fleet
