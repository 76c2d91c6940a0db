#include "serversan/server/bot/dialogs.h"

#include <iterator>

namespace serversan::bot {

void Dialogs::open(int64_t chat, int64_t user, std::string step, uint64_t server_id, int64_t now_ms) {
	std::lock_guard lock(mu_);
	prune(now_ms);
	open_[{chat, user}] = Dialog{std::move(step), server_id, now_ms + kDialogTtlMs};
}

std::optional<Dialog> Dialogs::get(int64_t chat, int64_t user, int64_t now_ms) {
	std::lock_guard lock(mu_);
	auto it = open_.find({chat, user});
	if (it == open_.end())
		return std::nullopt;
	if (it->second.expires_ms <= now_ms) {
		open_.erase(it);
		return std::nullopt;
	}
	return it->second;
}

bool Dialogs::end(int64_t chat, int64_t user, int64_t now_ms) {
	std::lock_guard lock(mu_);
	auto it = open_.find({chat, user});
	if (it == open_.end())
		return false;
	bool live = it->second.expires_ms > now_ms;
	open_.erase(it);
	return live;
}

size_t Dialogs::size() {
	std::lock_guard lock(mu_);
	return open_.size();
}

// Expired dialogs are dropped as new ones open, so the map stays as small as the live dialogs.
void Dialogs::prune(int64_t now_ms) {
	for (auto it = open_.begin(); it != open_.end();)
		it = it->second.expires_ms <= now_ms ? open_.erase(it) : std::next(it);
}

} // namespace serversan::bot
