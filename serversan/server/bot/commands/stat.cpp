// /stat [SERVER]: without an argument the chat's fleet, one compact block per server with a
// button each; with one (an id, a name, a unique prefix) or from a button, that server's full
// status. Buttons from the fleet view open the detail as a new message (the overview stays);
// Refresh under a detail view edits it in place. Every id, typed or from a button, goes through
// the access check before anything is read.
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/views/fleet_view.h"
#include "serversan/server/bot/views/server_lookup.h"
#include "serversan/server/bot/views/server_view.h"
#include "serversan/server/bot/views/stat_callback.h"
#include "serversan/server/bot/views/stat_data.h"

namespace serversan::bot::commands {

namespace {

// Times in the chat's zone (a group's own, not the reader's).
Result<views::ViewContext> view_context(Context& ctx) {
	auto zone = ctx.zone();
	if (!zone.ok())
		return zone.error();
	return views::ViewContext{ctx.lang, *zone, ctx.now_ms()};
}

// The detail view of a server the access check allowed: as a new message, or (refresh) in place.
Result<void> show_server(Context& ctx, const store::ServerRecord& server, bool in_place) {
	auto status = views::load_server(ctx.s.store, server.id);
	if (!status.ok())
		return status.error();
	if (!*status) {
		ctx.notice(views::server_not_found(ctx.lang));
		return Ok();
	}
	auto vc = view_context(ctx);
	if (!vc.ok())
		return vc.error();
	std::string text = views::server_view(*vc, **status);
	// Where its alerts go, only when that is not simply the owner's chat (/route).
	if (server.alert_chat && server.alert_chat != server.owner_chat)
		text.append("\n").append(ctx.t("route.status", {{"where", route_where(ctx, server)}}));
	auto keyboard = views::server_keyboard(ctx.lang, server.id);
	if (in_place) {
		// A toast, so a refresh that changed nothing visible still shows it happened.
		ctx.answer(ctx.t("status.refreshed"));
		ctx.show(std::move(text), std::move(keyboard));
	} else {
		ctx.answer();
		ctx.reply(std::move(text), std::move(keyboard));
	}
	return Ok();
}

Result<void> stat_fleet(Context& ctx) {
	auto fleet = views::load_fleet(ctx.s.store, ctx.chat_id);
	if (!fleet.ok())
		return fleet.error();
	auto vc = view_context(ctx);
	if (!vc.ok())
		return vc.error();
	for (auto& m : views::fleet_view(*vc, *fleet)) {
		std::optional<telegram::InlineKeyboard> keyboard;
		if (!m.keyboard.empty())
			keyboard = std::move(m.keyboard);
		ctx.reply(std::move(m.text), std::move(keyboard));
	}
	return Ok();
}

Result<void> stat_typed(Context& ctx) {
	auto servers = ctx.s.store.servers_of(ctx.chat_id);
	if (!servers.ok())
		return servers.error();
	views::ServerMatch match = views::match_server(*servers, ctx.rest);
	if (match.ids.size() != 1) {
		auto r = views::match_reply(ctx.lang, *servers, ctx.rest, match);
		std::optional<telegram::InlineKeyboard> keyboard;
		if (!r.keyboard.empty())
			keyboard = std::move(r.keyboard);
		ctx.reply(std::move(r.text), std::move(keyboard));
		return Ok();
	}
	auto server = pick_by_id(ctx, std::to_string(match.ids.front()), Action::see);
	if (!server.ok())
		return server.error();
	if (!*server)
		return Ok(); // pick_by_id told the user
	return show_server(ctx, **server, false);
}

} // namespace

void add_stat(Router& r) {
	r.on_command("stat", [](Context& ctx) { return ctx.rest.empty() ? stat_fleet(ctx) : stat_typed(ctx); });
	r.on_button(std::string(views::kStatCallbackPrefix.substr(0, 2)),
	            server_button(Action::see, [](Context& c, const store::ServerRecord& s) {
		            return show_server(c, s, false);
	            }));
	r.on_button(std::string(views::kStatRefreshPrefix.substr(0, 2)),
	            server_button(Action::see, [](Context& c, const store::ServerRecord& s) {
		            return show_server(c, s, true);
	            }));
}

} // namespace serversan::bot::commands
