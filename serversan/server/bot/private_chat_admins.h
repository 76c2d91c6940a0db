// ChatAdmins for private chats only: their owner is their admin. Groups are refused (never allow
// on doubt) until getChatMember lands (issue 19, runtime slice, not done yet).
#pragma once

#include "serversan/server/bot/chat_admins.h"

namespace serversan::bot {

class PrivateChatAdmins final : public ChatAdmins {
public:
	Result<bool> is_admin(int64_t chat_id, int64_t user_id) override {
		if (chat_id > 0)
			return chat_id == user_id;
		return Err("group admins are not checked yet");
	}
};

} // namespace serversan::bot
