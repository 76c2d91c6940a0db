#include "serversan/server/bot/menu.h"

#include <string>

namespace serversan::bot {

const std::vector<MenuEntry>& menu_entries() {
	// Only commands that have a handler: the admin commands join the list with the slice that
	// builds them (Telegram's menu must never offer a dead command).
	static const std::vector<MenuEntry> entries = {
	    {"start", false},     {"help", false},   {"add", false},      {"list", false},
	    {"stat", false},      {"delete", false}, {"rename", false},   {"reinstall", false},
	    {"threshold", false}, {"notify", false}, {"timezone", false}, {"language", false},
	    {"cancel", false},
	};
	return entries;
}

std::vector<telegram::BotCommand> command_menu(Lang lang) {
	std::vector<telegram::BotCommand> out;
	for (const MenuEntry& e : menu_entries())
		if (!e.admin_only)
			out.push_back({e.command, std::string(tr(lang, std::string("menu.") + e.command))});
	return out;
}

} // namespace serversan::bot
