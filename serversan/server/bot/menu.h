// The command menu: the commands Telegram shows in its "/" menu (setMyCommands, per language)
// and /help lists, one line each. One list, so the two never disagree.
#pragma once

#include <vector>

#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/telegram/types.h"

namespace serversan::bot {

struct MenuEntry {
	const char* command; // without '/'
	bool admin_only;     // listed for admins only (not in the public menu)
};
// In the order /help shows them.
const std::vector<MenuEntry>& menu_entries();
// setMyCommands' list for lang: every public command with its catalogue description, and with
// admin the admin commands too (set for each admin's private chat).
std::vector<telegram::BotCommand> command_menu(Lang lang, bool admin = false);

} // namespace serversan::bot
