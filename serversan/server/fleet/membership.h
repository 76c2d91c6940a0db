// GroupMembership: the user's place in a group chat, for the parts that are not the bot (the web
// API) and must not depend on it. Servers added in a Telegram group belong to the group
// (owner_chat = the group's negative id): members may look at them, admins may change them. The
// bot implements this from Telegram's getChatMember (bot/telegram_chat_admins.h, cached); main
// wires it into the web only when the bot role runs with a token.
#pragma once

#include <cstdint>

#include "serversan/core/result.h"

namespace serversan::fleet {

enum class Membership { none, member, admin };

class GroupMembership {
public:
	virtual ~GroupMembership() = default;
	// The user's role in the group chat (a negative id). An error (Telegram unreachable) is no
	// answer: callers treat it as none for anything that changes a server.
	virtual Result<Membership> role(int64_t chat_id, int64_t user_id) = 0;
};

} // namespace serversan::fleet
