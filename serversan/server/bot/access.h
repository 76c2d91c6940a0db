// Access: the one answer to "may this user, in this chat, do this to this server?". Every command,
// every button press and later the web API ask here, with the server id they were given (typed,
// from callback data, from a dialog) and never trust that id otherwise.
//
// A server belongs to its owner_chat. In a private chat the user is that chat's owner and may do
// everything; in a group every member may see the group's servers, only the group's admins
// (ChatAdmins) may change, delete or reinstall them. A role with servers.all may see every server.
// A chat the server's alerts are routed to (ServerRecord::alert_chat, or one of its rules'
// route_chat: access_server reads those) may see it, nothing more. A
// server that does not exist and one that is not the actor's answer the same (hidden), so ids
// cannot be probed.
#pragma once

#include <cstdint>
#include <optional>

#include "serversan/core/result.h"
#include "serversan/server/bot/chat_admins.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

enum class Action {
	see,    // list, status, charts
	change, // rename, thresholds
	remove, // delete, reinstall (rotating the token stops the running agent)
};

struct Actor {
	int64_t chat_id = 0;
	int64_t user_id = 0;
	bool private_chat = true;
	bool all_servers = false; // the user's role allows servers.all
};

enum class Verdict { allowed, hidden, admins_only };

// May the actor change what belongs to its chat itself (notification settings, the group's
// time zone)? In a private chat the user; in a group its admins. Anyone in the chat may look.
Result<Verdict> check_chat_change(ChatAdmins& admins, const Actor& actor);

// For a server already read from the store.
Result<Verdict> check_access(ChatAdmins& admins, const Actor& actor, const store::ServerRecord& server,
                             Action action);

// May the actor send server's alerts to the chat the request came from (/route)? Only the
// server's owner: the user whose private chat owns it, or an admin of the group that owns it.
// The command arriving in a chat proves that the user is in it, and that the bot is.
Result<Verdict> check_route(ChatAdmins& admins, const Actor& actor, const store::ServerRecord& server);

struct Access {
	Verdict verdict = Verdict::hidden;
	std::optional<store::ServerRecord> server; // set when allowed
};
// Reads server id now and checks it: the one call for ids that came from outside.
Result<Access> access_server(store::Store& store, ChatAdmins& admins, const Actor& actor, uint64_t id,
                             Action action);

} // namespace serversan::bot
