// ChatAdmins and the web's GroupMembership (fleet/membership.h) from Telegram: getChatMember says
// whether the user is the group's creator or an administrator (admin), a member (or restricted
// but still in it), or not in it (left, kicked). Answers are cached for `ttl` on the injected
// clock (a group's commands come in bursts, dashboards poll; an admin removed in Telegram loses the
// right within ttl). Errors are not cached and refuse (chat_admins.h). A private chat's own user is
// its admin without a call. Thread-safe: it has its own connection, behind a lock; the bot and the
// web share one instance, so one cache.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "serversan/core/clock.h"
#include "serversan/server/bot/chat_admins.h"
#include "serversan/server/bot/telegram/api_client.h"
#include "serversan/server/fleet/membership.h"

namespace serversan::bot {

class TelegramChatAdmins final : public ChatAdmins, public fleet::GroupMembership {
public:
	TelegramChatAdmins(std::unique_ptr<telegram::ApiClient> api, const Clock& clock,
	                   std::chrono::milliseconds ttl = std::chrono::seconds(60))
	    : api_(std::move(api)), clock_(clock), ttl_ms_(ttl.count()) {}

	Result<bool> is_admin(int64_t chat_id, int64_t user_id) override;
	Result<fleet::Membership> role(int64_t chat_id, int64_t user_id) override;

private:
	std::unique_ptr<telegram::ApiClient> api_;
	const Clock& clock_;
	int64_t ttl_ms_;
	std::mutex mu_;
	std::map<std::pair<int64_t, int64_t>, std::pair<fleet::Membership, int64_t>> cache_; // -> (role, expires)
	// A failed question is asked again only after kRetryMs: a group the bot was removed from, or
	// Telegram down, does not cost a call per dashboard request; the error answers meanwhile.
	static constexpr int64_t kRetryMs = 10'000;
	std::map<std::pair<int64_t, int64_t>, std::pair<std::string, int64_t>> failed_; // -> (error, until)
};

} // namespace serversan::bot
