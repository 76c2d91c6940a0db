// GroupMembers: notes in the store who used the bot in which group (a command for us, a button),
// so the web asks Telegram about a user's place only in the groups they were seen in
// (Store::note_chat_member, fleet/user_access.h). Not a write per message: what was noted is kept
// in memory, and a pair is written again only after kRefreshMs or when the group's title changed.
// The memory is capped (cleared past kCapacity pairs: the next commands write again, once each).
// A failed write is logged once until a write succeeds, never stops the command, and is retried
// by the next command. Called only for users the front layer admitted. Not thread-safe: the
// dispatcher's thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "serversan/server/store/store.h"

namespace serversan::bot {

class GroupMembers {
public:
	static constexpr int64_t kRefreshMs = 24 * 3600 * 1000;
	static constexpr size_t kCapacity = 100'000;

	explicit GroupMembers(store::Store& store) : store_(store) {}
	void note(int64_t chat_id, int64_t user_id, const std::string& title, int64_t now_ms);

private:
	struct Noted {
		int64_t at_ms = 0;
		std::string title;
	};
	store::Store& store_;
	std::map<std::pair<int64_t, int64_t>, Noted> noted_;
	bool failing_ = false;
};

} // namespace serversan::bot
