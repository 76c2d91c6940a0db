// /start [PAYLOAD]: the greeting with the first steps. The dispatcher has registered the user
// already (and refreshed them: /start is the refresh).
//
// A payload is a deep link (t.me/<bot>?start=PAYLOAD, or ?startgroup= in a group): "add" and
// "add_NAME" start /add, "stat_ID" opens /stat ID (checked like a typed /stat), and "help",
// "threshold", "notify" run that command. Each is looked up in the router, so a command that does
// not exist (yet) is simply not linkable. Anything else gets the plain greeting: links are shared
// and edited by people, an old or mangled one is not an error. An admin's /start also refreshes
// their command menu (BotSettings::admin_menu).
#include "serversan/core/log.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

namespace {

// Telegram's rule for start parameters: 1-64 of [A-Za-z0-9_-].
bool valid_payload(std::string_view p) {
	if (p.empty() || p.size() > 64)
		return false;
	for (char c : p)
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-'))
			return false;
	return true;
}

struct Link {
	std::string_view command, argument;
};

// The command a payload links to, with its argument; empty command if none.
Link link_of(std::string_view p) {
	for (std::string_view plain : {"add", "help", "threshold", "notify"})
		if (p == plain)
			return {plain, {}};
	for (std::string_view with_arg : {"add", "stat"})
		if (p.size() > with_arg.size() + 1 && p.substr(0, with_arg.size()) == with_arg &&
		    p[with_arg.size()] == '_')
			return {with_arg, p.substr(with_arg.size() + 1)};
	return {};
}

// Someone who became admin (a configured id at their first /start, or a role set with the CLI)
// gets the admin commands in their menu when they next /start, without a restart.
Result<void> refresh_admin_menu(Context& ctx) {
	if (!ctx.private_chat || !ctx.s.settings.admin_menu)
		return Ok();
	auto role = ctx.role();
	if (!role.ok())
		return role.error();
	if (role->allows(store::kPermAdmin))
		ctx.s.settings.admin_menu(ctx.chat_id, ctx.lang);
	return Ok();
}

} // namespace

void add_start(Router& r) {
	// The router outlives its handlers (both belong to the dispatcher).
	r.on_command("start", [&r](Context& ctx) -> Result<void> {
		if (auto menu = refresh_admin_menu(ctx); !menu.ok())
			return menu;
		if (valid_payload(ctx.rest)) {
			Link link = link_of(ctx.rest);
			if (const Handler* h = link.command.empty() ? nullptr : r.command(link.command)) {
				log::debug("bot: deep link to /{} from {}", link.command, ctx.user_id());
				ctx.rest = std::string(link.argument);
				ctx.args = split_args(ctx.rest);
				return (*h)(ctx);
			}
		}
		if (!ctx.rest.empty())
			log::debug("bot: /start with an unknown payload ({} bytes) from {}", ctx.rest.size(),
			           ctx.user_id());
		const std::string& who = ctx.user.display_name.empty() ? ctx.user.username : ctx.user.display_name;
		ctx.reply(ctx.t("chat.welcome", {{"name", escape_html(who)}}));
		return Ok();
	});
}

} // namespace serversan::bot::commands
