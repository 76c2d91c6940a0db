// /timezone [NAME]: an IANA name, checked against the system's tz database and stored in
// User.time_zone. Without a name it shows the current one and waits for a name (a dialog).
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/time_zone.h"

namespace serversan::bot::commands {

namespace {

constexpr std::string_view kStep = "timezone";

Result<void> set_zone(Context& ctx, std::string_view typed) {
	auto zone = find_time_zone(typed);
	if (!zone) {
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), 0, ctx.now_ms());
		ctx.reply(ctx.t("chat.timezone_unknown", {{"tz", escape_html(typed)}}));
		return Ok();
	}
	store::User u = ctx.user;
	u.time_zone = *zone;
	auto updated = ctx.s.store.update_user(u);
	if (!updated.ok())
		return updated.error();
	ctx.user = u;
	ctx.s.dialogs.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
	ctx.reply(ctx.t("chat.timezone_set", {{"tz", escape_html(*zone)}}));
	return Ok();
}

} // namespace

void add_timezone(Router& r) {
	r.on_command("timezone", [](Context& ctx) -> Result<void> {
		if (!ctx.rest.empty())
			return set_zone(ctx, ctx.rest);
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), 0, ctx.now_ms());
		ctx.reply(ctx.t("chat.timezone_current", {{"tz", escape_html(ctx.user.time_zone)}}));
		return Ok();
	});
	r.on_dialog(std::string(kStep), [](Context& ctx) { return set_zone(ctx, ctx.rest); });
}

} // namespace serversan::bot::commands
