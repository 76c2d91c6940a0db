#include "serversan/server/bot/menu.h"

#include <string>

namespace serversan::bot {

const std::vector<MenuEntry>& menu_entries() {
	// Only commands that have a handler (Telegram's menu must never offer a dead command).
	static const std::vector<MenuEntry> entries = {
	    {"start", false},    {"help", false},   {"add", false},    {"list", false},      {"stat", false},
	    {"chart", false},    {"delete", false}, {"rename", false}, {"reinstall", false}, {"threshold", false},
	    {"tag", false},      {"route", false},  {"notify", false}, {"web", false},       {"timezone", false},
	    {"language", false}, {"cancel", false}, {"users", true},   {"ban", true},        {"unban", true},
	    {"broadcast", true}, {"fleet", true},
	};
	return entries;
}

std::vector<telegram::BotCommand> command_menu(Lang lang, bool admin) {
	std::vector<telegram::BotCommand> out;
	for (const MenuEntry& e : menu_entries())
		if (admin || !e.admin_only)
			out.push_back({e.command, std::string(tr(lang, std::string("menu.") + e.command))});
	return out;
}

} // namespace serversan::bot
