#include "serversan/server/fleet/user_access.h"

#include <algorithm>

#include "serversan/core/log.h"
#include "serversan/server/fleet/ownership.h"

namespace serversan::fleet {

Membership UserAccess::role(int64_t chat, int64_t user) {
	if (!membership_ || user == kConsoleOperator)
		return Membership::none;
	auto r = membership_->role(chat, user);
	// Dashboards poll: one line per group and outage, not one per request.
	std::lock_guard lock(mu_);
	if (r.ok()) {
		if (failing_.erase(chat))
			log::info("web: Telegram answers again who is in group {}; its servers are shown", chat);
		return *r;
	}
	if (failing_.insert(chat).second)
		log::warn("web: cannot ask Telegram who is in group {} ({}); its servers are hidden until it answers",
		          chat, r.error().message);
	return Membership::none;
}

Result<UserAccess::Answer> UserAccess::check(int64_t user, uint64_t id, UserAction action) {
	auto found = store_.find_server(id);
	if (!found.ok())
		return found.error();
	Answer a;
	if (!*found)
		return a;
	store::ServerRecord& s = **found;
	UserServer us{std::move(s), std::nullopt};
	if (!owned_by(us.server, user)) {
		int64_t owner = owner_of(us.server);
		if (owner >= 0 || !membership_ || user == kConsoleOperator) // another user's, or no groups
			return a;
		// As chats(): only a group the user was noted in, so the list and a direct id agree.
		auto noted = store_.server_group_chats(user);
		if (!noted.ok())
			return noted.error();
		if (!std::binary_search(noted->begin(), noted->end(), owner))
			return a;
		Membership m = role(owner, user);
		if (m == Membership::none)
			return a;
		auto t = store_.group_chat_title(owner);
		if (!t.ok())
			return t.error();
		us.group = m;
		us.group_title = std::move(*t);
		if (action != UserAction::see && !us.may_change()) {
			a.verdict = Verdict::admins_only;
			return a;
		}
	}
	a.verdict = Verdict::allowed;
	a.server = std::move(us);
	return a;
}

Result<std::vector<UserAccess::Chat>> UserAccess::chats(int64_t user) {
	std::vector<Chat> out{{user, std::nullopt}};
	if (!membership_ || user == kConsoleOperator)
		return out;
	auto groups = store_.server_group_chats(user);
	if (!groups.ok())
		return groups.error();
	for (int64_t g : *groups)
		if (Membership m = role(g, user); m != Membership::none)
			out.push_back({g, m});
	return out;
}

Result<std::vector<UserServer>> UserAccess::servers(int64_t user) {
	auto cs = chats(user);
	if (!cs.ok())
		return cs.error();
	std::vector<UserServer> out;
	for (const Chat& c : *cs) {
		auto list = c.group ? store_.servers_of(c.id) : owned_servers(store_, user);
		if (!list.ok())
			return list.error();
		Result<std::optional<std::string>> t = std::optional<std::string>{};
		if (c.group)
			t = store_.group_chat_title(c.id);
		if (!t.ok())
			return t.error();
		for (store::ServerRecord& s : *list)
			out.push_back({std::move(s), c.group, *t});
	}
	std::sort(out.begin(), out.end(),
	          [](const UserServer& a, const UserServer& b) { return a.server.id < b.server.id; });
	return out;
}

} // namespace serversan::fleet
