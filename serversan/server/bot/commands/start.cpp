// /start [PAYLOAD]: the greeting with the first steps. The dispatcher has registered the user
// already (and refreshed them: /start is the refresh). No deep-link payload is defined yet, so
// any payload is politely ignored rather than guessed at.
#include "serversan/core/log.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

void add_start(Router& r) {
	r.on_command("start", [](Context& ctx) -> Result<void> {
		const std::string& who = ctx.user.display_name.empty() ? ctx.user.username : ctx.user.display_name;
		std::string text = ctx.t("chat.welcome", {{"name", escape_html(who)}});
		if (!ctx.rest.empty()) {
			log::debug("bot: /start with an unknown payload ({} bytes) from {}", ctx.rest.size(),
			           ctx.user_id());
			text = ctx.t("chat.bad_link") + "\n\n" + text;
		}
		ctx.reply(std::move(text));
		return Ok();
	});
}

} // namespace serversan::bot::commands
