#include "serversan/server/bot/telegram_chat_admins.h"

namespace serversan::bot {

Result<bool> TelegramChatAdmins::is_admin(int64_t chat_id, int64_t user_id) {
	auto r = role(chat_id, user_id);
	if (!r.ok())
		return r.error();
	return *r == fleet::Membership::admin;
}

Result<fleet::Membership> TelegramChatAdmins::role(int64_t chat_id, int64_t user_id) {
	if (chat_id > 0)
		return chat_id == user_id ? fleet::Membership::admin : fleet::Membership::none;
	std::lock_guard lock(mu_);
	int64_t now = clock_.unix_millis();
	auto key = std::make_pair(chat_id, user_id);
	if (auto it = cache_.find(key); it != cache_.end()) {
		if (it->second.second > now)
			return it->second.first;
		cache_.erase(it);
	}
	if (auto it = failed_.find(key); it != failed_.end()) {
		if (it->second.second > now)
			return Err(it->second.first);
		failed_.erase(it);
	}
	auto member = api_->get_chat_member(chat_id, user_id);
	if (!member.ok()) {
		std::string why = "cannot ask Telegram who is in the group: " + member.error().message();
		if (failed_.size() > 10'000)
			failed_.clear();
		failed_[key] = {why, now + kRetryMs};
		return Err(why);
	}
	fleet::Membership m = fleet::Membership::none;
	if (member->status == "creator" || member->status == "administrator")
		m = fleet::Membership::admin;
	else if (member->is_member)
		m = fleet::Membership::member;
	if (cache_.size() > 10'000) // a bound, not a policy: refilled on demand
		cache_.clear();
	cache_[key] = {m, now + ttl_ms_};
	return m;
}

} // namespace serversan::bot
