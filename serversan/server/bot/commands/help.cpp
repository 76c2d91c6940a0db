// /help: every command, one line each, from the same list as Telegram's "/" menu (menu.h);
// the admin commands only for users whose role is admin.
#include <iterator>

#include <fmt/format.h>

#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/menu.h"

namespace serversan::bot::commands {

void add_help(Router& r) {
	r.on_command("help", [](Context& ctx) -> Result<void> {
		auto role = ctx.role();
		if (!role.ok())
			return role.error();
		std::string text = fmt::format("{}\n", ctx.t("chat.help_title"));
		std::string admin;
		for (const MenuEntry& e : menu_entries())
			fmt::format_to(std::back_inserter(e.admin_only ? admin : text), "/{} – {}\n", e.command,
			               tr(ctx.lang, fmt::format("menu.{}", e.command)));
		if (role->allows(store::kPermAdmin) && !admin.empty())
			text += fmt::format("\n{}\n{}", ctx.t("chat.help_admin"), admin);
		ctx.reply(std::move(text));
		return Ok();
	});
}

} // namespace serversan::bot::commands
