// ChatAdmins from Telegram: getChatMember says whether the user is the group's creator or an
// administrator. Answers are cached for `ttl` on the injected clock (a group's commands come in
// bursts; an admin removed in Telegram loses the right within ttl). Errors are not cached and
// refuse (chat_admins.h). A private chat's own user is its admin without a call. Thread-safe: it
// has its own connection, behind a lock.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "serversan/core/clock.h"
#include "serversan/server/bot/chat_admins.h"
#include "serversan/server/bot/telegram/api_client.h"

namespace serversan::bot {

class TelegramChatAdmins final : public ChatAdmins {
public:
	TelegramChatAdmins(std::unique_ptr<telegram::ApiClient> api, const Clock& clock,
	                   std::chrono::milliseconds ttl = std::chrono::seconds(60))
	    : api_(std::move(api)), clock_(clock), ttl_ms_(ttl.count()) {}

	Result<bool> is_admin(int64_t chat_id, int64_t user_id) override;

private:
	std::unique_ptr<telegram::ApiClient> api_;
	const Clock& clock_;
	int64_t ttl_ms_;
	std::mutex mu_;
	std::map<std::pair<int64_t, int64_t>, std::pair<bool, int64_t>> cache_; // -> (admin, expires)
};

} // namespace serversan::bot
