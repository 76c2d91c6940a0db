#include "serversan/server/bot/access.h"

#include "serversan/server/fleet/ownership.h"

namespace serversan::bot {

Result<Verdict> check_access(ChatAdmins& admins, const Actor& actor, const store::ServerRecord& server,
                             Action action) {
	// Telegram chat ids are never 0, so only the console operator (the web API) owns console servers.
	bool own_chat = fleet::owned_by(server, actor.chat_id);
	// A chat the owner routed the server's alerts to (/route) may look at it: its alerts' Snooze,
	// Top processes and Chart buttons work there; changing it stays with the owner's chat.
	bool routed_here = server.alert_chat && *server.alert_chat == actor.chat_id;
	if (!own_chat)
		return action == Action::see && (actor.all_servers || routed_here) ? Verdict::allowed
		                                                                   : Verdict::hidden;
	if (action == Action::see)
		return Verdict::allowed;
	return check_chat_change(admins, actor);
}

Result<Verdict> check_chat_change(ChatAdmins& admins, const Actor& actor) {
	if (actor.private_chat)
		return Verdict::allowed;
	auto admin = admins.is_admin(actor.chat_id, actor.user_id);
	if (!admin.ok())
		return admin.error(); // Telegram unreachable: never allow on doubt
	return *admin ? Verdict::allowed : Verdict::admins_only;
}

Result<Verdict> check_route(ChatAdmins& admins, const Actor& actor, const store::ServerRecord& server) {
	if (!server.owner_chat)
		return Verdict::hidden;
	if (*server.owner_chat == actor.user_id)
		return Verdict::allowed;
	if (*server.owner_chat > 0)
		return Verdict::hidden; // another user's private server
	auto admin = admins.is_admin(*server.owner_chat, actor.user_id);
	if (!admin.ok())
		return admin.error();
	return *admin ? Verdict::allowed : Verdict::hidden;
}

namespace {

// Does one of server's rules send its alerts to chat (/threshold SERVER KIND here)? Such a chat
// may look at the server like one its alerts are routed to as a whole, while the rule is on.
Result<bool> rule_routed_to(store::Store& store, const store::ServerRecord& server, int64_t chat) {
	if (!server.owner_chat)
		return false;
	auto rules = store.list_alert_rules(*server.owner_chat);
	if (!rules.ok())
		return rules.error();
	for (const auto& r : *rules)
		if (r.server_id == server.id && r.route_chat == chat && r.enabled) // off: nothing goes there
			return true;
	return false;
}

} // namespace

Result<Access> access_server(store::Store& store, ChatAdmins& admins, const Actor& actor, uint64_t id,
                             Action action) {
	auto server = store.find_server(id);
	if (!server.ok())
		return server.error();
	if (!*server)
		return Access{};
	auto verdict = check_access(admins, actor, **server, action);
	if (!verdict.ok())
		return verdict.error();
	if (*verdict == Verdict::hidden && action == Action::see) {
		auto routed = rule_routed_to(store, **server, actor.chat_id);
		if (!routed.ok())
			return routed.error();
		if (*routed)
			*verdict = Verdict::allowed;
	}
	Access a{*verdict, {}};
	if (*verdict == Verdict::allowed)
		a.server = std::move(**server);
	return a;
}

} // namespace serversan::bot
