// /route: where a server's alerts go. "/route SERVER" sent in a group sends that server's alerts
// to the group; "/route SERVER off" (anywhere) sends them back to the owner; "/route" lists the
// routes of the user's servers. Only the owner may route (access.h check_route), and only to a
// group they are in: the command arriving there proves it, and that the bot is in it too. The
// server is looked up among the user's own servers, not the group's (it is not the group's).
#include <string>

#include "serversan/core/ascii.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/threshold/view.h"

namespace serversan::bot::commands {

namespace {

std::string where_chat(const Context& ctx, const store::ServerRecord& s, std::optional<int64_t> chat) {
	if (!chat || chat == s.owner_chat)
		return ctx.t("route.where_owner");
	return ctx.t(*chat == ctx.chat_id ? "route.where_here" : "route.where_group");
}

// Each server's route, and under it the kinds whose rules send elsewhere (/threshold ... here).
Result<void> list_routes(Context& ctx) {
	auto mine = ctx.s.store.servers_of(ctx.user_id());
	if (!mine.ok())
		return mine.error();
	if (mine->empty()) {
		ctx.reply(ctx.t("route.usage") + "\n" + ctx.t("route.usage_rule"));
		return Ok();
	}
	auto rules = ctx.s.store.list_alert_rules(ctx.user_id());
	if (!rules.ok())
		return rules.error();
	std::string text = ctx.t("route.list_title");
	for (const auto& s : *mine) {
		text.append("\n").append(
		    ctx.t("route.list_line", {{"name", escape_html(s.name)}, {"where", route_where(ctx, s)}}));
		for (const auto& r : *rules) {
			const alerts::AlertKind* kind = alerts::kind_of_metric(r.metric);
			if (r.server_id != s.id || !r.route_chat || !kind)
				continue;
			text.append("\n").append(
			    ctx.t("route.rule_line", {{"kind", threshold::target_label(ctx.lang, {kind, r.device})},
			                              {"where", where_chat(ctx, s, r.route_chat)}}));
		}
	}
	text.append("\n\n").append(ctx.t("route.usage")).append("\n").append(ctx.t("route.usage_rule"));
	ctx.reply(std::move(text));
	return Ok();
}

} // namespace

std::string route_where(const Context& ctx, const store::ServerRecord& s) {
	return where_chat(ctx, s, s.alert_chat);
}

void add_route(Router& r) {
	r.on_command("route", [](Context& ctx) -> Result<void> {
		if (ctx.args.empty())
			return list_routes(ctx);
		const bool off = ctx.args.size() >= 2 && equal_ascii_ci(ctx.args.back(), "off");
		// The server's name is everything but a trailing "off" (names may contain spaces).
		std::string ref = ctx.args[0];
		for (size_t i = 1; i + (off ? 1 : 0) < ctx.args.size(); ++i)
			ref.append(" ").append(ctx.args[i]);
		auto server = pick_routable(ctx, ref);
		if (!server.ok())
			return server.error();
		if (!*server)
			return Ok(); // told why
		const store::ServerRecord& s = **server;
		const std::string name = escape_html(s.name);
		if (!off && ctx.private_chat) {
			ctx.reply(ctx.t("route.in_private", {{"name", name}}));
			return Ok();
		}
		std::optional<int64_t> to = off ? std::nullopt : std::optional<int64_t>(ctx.chat_id);
		auto done = ctx.s.store.set_server_alert_chat(s.id, to);
		if (!done.ok())
			return done.error();
		if (ctx.s.settings.rules_changed) // an engine in this process routes the next alert at once
			ctx.s.settings.rules_changed();
		ctx.reply(ctx.t(off ? "route.to_owner" : "route.to_group", {{"name", name}}));
		return Ok();
	});
}

} // namespace serversan::bot::commands
