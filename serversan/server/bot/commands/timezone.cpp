// /timezone [NAME]: an IANA name, checked against the system's tz database. In a private chat it
// is the user's zone (User.time_zone); in a group it is the group's (ChatSettings.time_zone, set
// by its admins), which the group's quiet hours and digest follow (alerts/chat_zone.h). Without a
// name it shows the zone in force and waits for a name (a dialog).
#include "serversan/server/alerts/chat_zone.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/time_zone.h"

namespace serversan::bot::commands {

namespace {

constexpr std::string_view kStep = "timezone";

Result<void> set_group_zone(Context& ctx, const std::string& zone) {
	auto settings = ctx.s.store.chat_settings(ctx.chat_id);
	if (!settings.ok())
		return settings.error();
	settings->time_zone = zone;
	settings->updated_ms = ctx.now_ms();
	return ctx.s.store.put_chat_settings(*settings);
}

Result<void> set_zone(Context& ctx, std::string_view typed) {
	if (!ctx.private_chat) {
		auto may = may_change_chat(ctx);
		if (!may.ok() || !*may) {
			ctx.s.dialogs.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
			return may.ok() ? Ok() : Result<void>(may.error());
		}
	}
	auto zone = find_time_zone(typed);
	if (!zone) {
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), 0, ctx.now_ms());
		ctx.reply(ctx.t("chat.timezone_unknown", {{"tz", escape_html(typed)}}));
		return Ok();
	}
	if (ctx.private_chat) {
		store::User u = ctx.user;
		u.time_zone = *zone;
		auto updated = ctx.s.store.update_user(u);
		if (!updated.ok())
			return updated.error();
		ctx.user = u;
	} else if (auto saved = set_group_zone(ctx, *zone); !saved.ok()) {
		return saved.error();
	}
	ctx.s.dialogs.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
	ctx.reply(ctx.t(ctx.private_chat ? "chat.timezone_set" : "chat.timezone_group_set",
	                {{"tz", escape_html(*zone)}}));
	return Ok();
}

Result<void> show_zone(Context& ctx) {
	if (ctx.private_chat) {
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), 0, ctx.now_ms());
		ctx.reply(ctx.t("chat.timezone_current", {{"tz", escape_html(ctx.user.time_zone)}}));
		return Ok();
	}
	auto settings = ctx.s.store.chat_settings(ctx.chat_id);
	if (!settings.ok())
		return settings.error();
	std::string zone = escape_html(alerts::chat_zone(*settings, nullptr));
	// Everyone may ask; only an admin is asked for a new one (a member's answer would be refused).
	auto who = actor_of(ctx);
	if (!who.ok())
		return who.error();
	auto verdict = check_chat_change(ctx.s.admins, *who);
	if (verdict.ok() && *verdict == Verdict::allowed) {
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), 0, ctx.now_ms());
		ctx.reply(ctx.t("chat.timezone_group_current", {{"tz", zone}}));
	} else {
		ctx.reply(ctx.t("chat.timezone_group_view", {{"tz", zone}}));
	}
	return Ok();
}

} // namespace

void add_timezone(Router& r) {
	r.on_command("timezone", [](Context& ctx) -> Result<void> {
		if (!ctx.rest.empty())
			return set_zone(ctx, ctx.rest);
		return show_zone(ctx);
	});
	r.on_dialog(std::string(kStep), [](Context& ctx) { return set_zone(ctx, ctx.rest); });
}

} // namespace serversan::bot::commands
