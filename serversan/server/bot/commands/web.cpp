// /web: a one-time login link to the web dashboard (store/web_login.h: single use, within
// web.login_link_ttl), sent with link previews off so Telegram's crawler does not open it first (it would
// only see the page whose button spends it anyway). Private chats only: in a group anyone could use the link
// and be logged in as the sender. Under https the dashboard also opens as a Mini App.
#include "serversan/core/log.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/store/web_login.h"

namespace serversan::bot::commands {

void add_web(Router& r) {
	r.on_command("web", [](Context& ctx) -> Result<void> {
		if (!ctx.private_chat) {
			ctx.reply(ctx.t("chat.web_private_only"));
			return Ok();
		}
		const int64_t ttl_ms = ctx.s.settings.login_link_ttl_ms;
		auto token = store::issue_login_link(ctx.s.store, ctx.user_id(), ctx.now_ms(), ttl_ms);
		if (!token.ok())
			return token.error();
		const std::string& base = ctx.s.settings.public_url;
		std::string url = store::login_url(base, *token);
		std::optional<telegram::InlineKeyboard> keyboard;
		// Telegram opens Mini Apps from https URLs only.
		if (base.starts_with("https://"))
			keyboard = telegram::InlineKeyboard{
			    {{ctx.t("chat.web_app_button"), "", "", store::dashboard_url(base)}}};
		log::info("bot: user {} asked for a dashboard login link", ctx.user_id());
		ctx.reply(ctx.t("chat.web_link", {{"href", escape_html_attribute(url)},
		                                  {"url", escape_html(url)},
		                                  {"ttl", views::format_duration(ctx.lang, ttl_ms / 1000)}}),
		          std::move(keyboard), true);
		return Ok();
	});
}

} // namespace serversan::bot::commands
