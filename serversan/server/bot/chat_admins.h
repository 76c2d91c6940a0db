// ChatAdmins: may this user manage what belongs to this group? In a group, servers belong to the
// group; any member may look at them, only the group's administrators may delete or reinstall
// them. The answer comes from Telegram (getChatMember), so the runtime implements this with a
// short-lived cache; the dispatcher only asks. A private chat's owner is always its admin.
#pragma once

#include <cstdint>

#include "serversan/core/result.h"

namespace serversan::bot {

class ChatAdmins {
public:
	virtual ~ChatAdmins() = default;
	// An error (Telegram unreachable) is a refusal for the caller: never allow on doubt.
	virtual Result<bool> is_admin(int64_t chat_id, int64_t user_id) = 0;
};

} // namespace serversan::bot
