#include "serversan/server/bot/telegram_chat_admins.h"

namespace serversan::bot {

Result<bool> TelegramChatAdmins::is_admin(int64_t chat_id, int64_t user_id) {
	if (chat_id > 0)
		return chat_id == user_id;
	std::lock_guard lock(mu_);
	int64_t now = clock_.unix_millis();
	auto key = std::make_pair(chat_id, user_id);
	if (auto it = cache_.find(key); it != cache_.end()) {
		if (it->second.second > now)
			return it->second.first;
		cache_.erase(it);
	}
	auto status = api_->get_chat_member_status(chat_id, user_id);
	if (!status.ok())
		return Err("cannot ask Telegram who administers the group: " + status.error().message());
	bool admin = *status == "creator" || *status == "administrator";
	if (cache_.size() > 10'000) // a bound, not a policy: refilled on demand
		cache_.clear();
	cache_[key] = {admin, now + ttl_ms_};
	return admin;
}

} // namespace serversan::bot
