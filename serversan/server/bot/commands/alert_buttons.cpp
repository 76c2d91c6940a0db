// The buttons under alert messages ("al:", views/alert_view.h). The server id in the data is
// checked through access like a typed one: another chat's server is "not here".
//
// Who may press: Snooze, Top processes and Chart need Action::see, so in a group any member on
// call can quiet an alert for an hour (the snooze is the chat's, ends within the hour, /notify
// lists and lifts it, the silence records who set it). Mute has no end until the server
// recovers, so it is asked of who may change this chat's settings (check_chat_change: the
// group's admins, anyone in a private chat), like every other open-ended change of what the
// whole chat hears. It is not a change of the server: a silence is the receiving chat's own, so
// the admins of a group a server is routed to (/route) may mute it there without the right to
// change the server, and the owner's other chats still hear it.
//
// Snooze and Mute write a silence for this chat (Store::add_silence), answer with a toast and
// redraw the pressed message's keyboard to show it (a grouped message's own for 'g', Mute under
// one server's grouped alerts); Top sends a new message with the newest top processes; Chart
// sends the kind's /chart (6 hours; a forecast's: 24 hours) as a new photo.
#include <algorithm>

#include "serversan/server/alerts/chat_zone.h"
#include "serversan/server/bot/commands/chart_send.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/alert_view.h"
#include "serversan/server/bot/views/time_format.h"

namespace serversan::bot::commands {

namespace {

using views::AlertButton;

// The chat's zone as the alert messages use it (alerts::chat_zone).
std::string zone_of(Context& ctx, const store::ChatSettings& settings) {
	return alerts::chat_zone(settings, ctx.private_chat ? &ctx.user : nullptr);
}

// Writes the silence, then answers and redraws the keyboard from what is in force now.
Result<void> silence(Context& ctx, const store::ServerRecord& server, const AlertButton& b) {
	const bool mute = b.action == 'm' || b.action == 'g';
	store::AlertSilence s;
	s.chat_id = ctx.chat_id;
	s.server_id = server.id;
	if (!mute) {
		s.kind = b.kind;
		s.until_ms = ctx.now_ms() + views::kSnoozeMs;
	}
	s.created_ms = ctx.now_ms();
	s.created_by = ctx.user_id();
	if (auto id = ctx.s.store.add_silence(s); !id.ok())
		return id.error();
	auto settings = ctx.s.store.chat_settings(ctx.chat_id);
	auto silences = ctx.s.store.silences(ctx.chat_id, ctx.now_ms());
	if (!settings.ok())
		return settings.error();
	if (!silences.ok())
		return silences.error();
	views::ViewContext vc{ctx.lang, zone_of(ctx, *settings), ctx.now_ms()};
	views::AlertSilenceShown shown;
	for (const store::AlertSilence& x : *silences) {
		if (x.server_id && *x.server_id != server.id)
			continue;
		if (!x.until_ms && x.kind.empty())
			shown.muted = true;
		else if (x.until_ms && (x.kind.empty() || x.kind == b.kind))
			shown.snoozed_until_ms = std::max(shown.snoozed_until_ms.value_or(0), *x.until_ms);
	}
	if (mute)
		ctx.answer(ctx.t("alerts.toast_muted", {{"server", views::agent_plain_text(server.name)}}));
	else
		ctx.answer(ctx.t("alerts.toast_snoozed",
		                 {{"time", views::format_short_time(*s.until_ms, vc.time_zone, vc.now_ms)}}));
	if (ctx.message_id) {
		Reply r;
		r.kind = Reply::Kind::edit_keyboard;
		r.chat_id = ctx.chat_id;
		r.message_id = ctx.message_id;
		r.keyboard = b.action == 'g' ? views::alert_group_keyboard(vc, server.id, b.kind, shown)
		                             : views::alert_keyboard(vc, server.id, b.kind, shown);
		ctx.s.outgoing.send(std::move(r));
	}
	return Ok();
}

Result<void> top(Context& ctx, const store::ServerRecord& server) {
	auto latest = ctx.s.store.latest(server.id);
	if (!latest.ok())
		return latest.error();
	auto settings = ctx.s.store.chat_settings(ctx.chat_id);
	if (!settings.ok())
		return settings.error();
	views::ViewContext vc{ctx.lang, zone_of(ctx, *settings), ctx.now_ms()};
	ctx.answer();
	ctx.reply(views::top_processes_text(vc, server.name, *latest ? &**latest : nullptr));
	return Ok();
}

Result<void> alert_button(Context& ctx) {
	auto b = views::parse_alert_button(ctx.rest);
	if (!b) {
		ctx.answer(ctx.t("chat.stale_button"));
		return Ok();
	}
	if (b->action == 'i') {
		ctx.answer(ctx.t("alerts.toast_silenced"));
		return Ok();
	}
	auto server = pick_by_id(ctx, std::to_string(b->server_id), Action::see);
	if (!server.ok())
		return server.error();
	if (!*server)
		return Ok();
	if (b->action == 'm' || b->action == 'g') {
		auto may = may_change_chat(ctx);
		if (!may.ok() || !*may)
			return may.ok() ? Ok() : Result<void>(may.error());
	}
	switch (b->action) {
	case 's':
	case 'm':
	case 'g':
		return silence(ctx, **server, *b);
	case 't':
		return top(ctx, **server);
	default: // c: the hours around an alert; d: a forecast's day
		return send_chart(
		    ctx, **server,
		    views::ChartView{server->value().id, views::chart_kind_of(b->kind),
		                     b->action == 'd' ? charts::ChartRange::h24 : charts::ChartRange::h6},
		    false);
	}
}

} // namespace

void add_alert_buttons(Router& r) {
	r.on_button(std::string(views::kAlertPrefix), alert_button);
}

} // namespace serversan::bot::commands
