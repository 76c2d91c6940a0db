#include "serversan/server/bot/access.h"

#include "serversan/server/fleet/ownership.h"

namespace serversan::bot {

Result<Verdict> check_access(ChatAdmins& admins, const Actor& actor, const store::ServerRecord& server,
                             Action action) {
	// Telegram chat ids are never 0, so only the console operator (the web API) owns console servers.
	bool own_chat = fleet::owned_by(server, actor.chat_id);
	if (!own_chat)
		return action == Action::see && actor.all_servers ? Verdict::allowed : Verdict::hidden;
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
	Access a{*verdict, {}};
	if (*verdict == Verdict::allowed)
		a.server = std::move(**server);
	return a;
}

} // namespace serversan::bot
