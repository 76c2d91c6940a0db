// The dispatcher: turns each Telegram update into store changes and replies. One layer in front of
// every handler registers and looks up the user, drops banned users, throttles floods and answers
// callback queries; a router then picks one handler per command or button (bot/commands/), and an
// explicit state machine per chat and user carries multi-step dialogs (/cancel ends any). Ownership and
// role checks are one piece of code (access.h) that every handler, every button press and later the
// web API call; callback data is verified, never trusted.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/server/bot/chat_admins.h"
#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/outgoing.h"
#include "serversan/server/bot/update_handler.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

struct BotSettings {
	std::string public_url;                 // what install lines point agents at
	std::vector<int64_t> admins;            // Telegram ids that become admins on /start
	int max_servers_per_user = 50;          // per owning chat; 0: no limit
	int64_t login_link_ttl_ms = 5 * 60'000; // /web's links (web.login_link_ttl, main passes it)
	std::string bot_username;               // from getMe, without '@': "/cmd@<this>" is ours in groups
	// Gives an admin's private chat the menu with the admin commands (setMyCommands, chat scope),
	// called by their /start; runs on the dispatcher's thread. Empty: menus are left alone.
	std::function<void(int64_t chat_id, Lang lang)> admin_menu;
	// Called after /threshold wrote a rule: the alert engine when it runs in this process (main
	// wires it); empty otherwise (the engine's periodic reload sees the change).
	std::function<void()> rules_changed;
};

// store, outgoing, clock and admins must outlive the handler.
std::unique_ptr<UpdateHandler> make_dispatcher(store::Store& store, Outgoing& outgoing, const Clock& clock,
                                               ChatAdmins& admins, BotSettings settings);

} // namespace serversan::bot
