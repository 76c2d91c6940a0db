// UserAccess: which servers a web user may see, change or remove. A user's own servers (their
// private chat's, or the console's for the console operator; ownership.h) and the servers of the
// groups the user is a member of (membership.h): members may see those, only the group's admins
// may change or remove them. The groups asked about are only those that own servers and in which
// the bot noted the user (they used it there: Store::note_chat_member), so a user costs at most one
// Telegram call per such group, none for the thousands of other groups of a shared instance. A
// group's server in a group the user was never noted in is hidden, in the list and by id alike.
// Without a GroupMembership (no bot token) a user sees their own servers only.
//
// A membership error (Telegram unreachable) hides the group's servers: not listed, 404 by id,
// writes refused; logged once per group until it answers again. A server that does not exist and one
// the user may not see answer the same (hidden), so ids cannot be probed.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/fleet/membership.h"
#include "serversan/server/store/store.h"

namespace serversan::fleet {

enum class UserAction {
	see,    // list, detail, series, alerts, events, thresholds (read)
	change, // rename, thresholds (write)
	remove, // delete, a new agent token
};

struct UserServer {
	store::ServerRecord server;
	// A group's server: the user's role in the group (member or admin). Empty: the user's own.
	std::optional<Membership> group;
	std::optional<std::string> group_title; // as the bot last saw it; empty for the user's own
	bool may_change() const { return !group || *group == Membership::admin; }
};

class UserAccess {
public:
	// membership may be null: private servers only.
	UserAccess(store::Store& store, GroupMembership* membership) : store_(store), membership_(membership) {}

	enum class Verdict { allowed, hidden, admins_only };
	struct Answer {
		Verdict verdict = Verdict::hidden;
		std::optional<UserServer> server; // set when allowed
	};
	// Reads server id and checks it: the one call for ids that came from a request.
	Result<Answer> check(int64_t user, uint64_t id, UserAction action);

	// The chats whose servers the user sees: the user's own first, then the groups in which the
	// user is a member or admin, with that role.
	struct Chat {
		int64_t id = 0;
		std::optional<Membership> group; // empty: the user's own
	};
	Result<std::vector<Chat>> chats(int64_t user);
	// Every server the user may see, in id order.
	Result<std::vector<UserServer>> servers(int64_t user);

private:
	// The user's role in the group; none (logged once) when membership cannot tell.
	Membership role(int64_t chat, int64_t user);

	store::Store& store_;
	GroupMembership* membership_;
	std::mutex mu_;
	std::set<int64_t> failing_; // groups whose last answer was an error (logged)
};

} // namespace serversan::fleet
