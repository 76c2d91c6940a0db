#include "serversan/server/bot/group_members.h"

#include "serversan/core/log.h"

namespace serversan::bot {

void GroupMembers::note(int64_t chat_id, int64_t user_id, const std::string& title, int64_t now_ms) {
	auto key = std::make_pair(chat_id, user_id);
	if (auto it = noted_.find(key);
	    it != noted_.end() && it->second.title == title && now_ms - it->second.at_ms < kRefreshMs)
		return;
	if (auto r = store_.note_chat_member(chat_id, user_id, title, now_ms); !r.ok()) {
		// A broken store fails every command's write: one line for the outage, not one per command.
		if (!failing_)
			log::warn("bot: noting user {} in group {} failed ({}); the web shows them the group's "
			          "servers once a later command notes it",
			          user_id, chat_id, r.error().message);
		failing_ = true;
		return;
	}
	if (failing_)
		log::info("bot: noting group members works again");
	failing_ = false;
	if (noted_.size() >= kCapacity)
		noted_.clear();
	noted_[key] = {now_ms, title};
}

} // namespace serversan::bot
