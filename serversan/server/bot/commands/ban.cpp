// /ban ID|@username [reason] and /unban ID|@username. A ban is the role "blocked": the
// dispatcher's front layer then ignores the user and the sender gives up whatever is queued to
// them (their servers keep reporting, their alerts are not sent). Nobody can ban themselves or an
// admin; /unban gives back "admin" to the configured admins and "user" to everyone else.
#include <algorithm>

#include "serversan/core/ascii.h"
#include "serversan/core/log.h"
#include "serversan/server/bot/commands/admin_gate.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

namespace {

constexpr std::string_view kBanned = "blocked";

// The user the first argument names, or nothing after telling the admin why.
Result<std::optional<store::User>> target(Context& ctx, std::string_view usage_key) {
	if (ctx.args.empty()) {
		ctx.reply(ctx.t(usage_key));
		return std::optional<store::User>{};
	}
	auto u = find_user_ref(ctx.s.store, ctx.args[0]);
	if (u.ok() && !*u)
		ctx.reply(ctx.t("admin.no_user", {{"ref", escape_html(ctx.args[0])}}));
	return u;
}

bool configured_admin(const Context& ctx, int64_t id) {
	const auto& admins = ctx.s.settings.admins;
	return std::find(admins.begin(), admins.end(), id) != admins.end();
}

Result<void> ban(Context& ctx) {
	auto u = target(ctx, "admin.ban_usage");
	if (!u.ok())
		return u.error();
	if (!*u)
		return Ok();
	const store::User& who = **u;
	if (who.telegram_id == ctx.user_id()) {
		ctx.reply(ctx.t("admin.ban_self"));
		return Ok();
	}
	auto role = find_role(ctx.s.store, who.role);
	if (!role.ok())
		return role.error();
	if (role->allows(store::kPermAdmin) || configured_admin(ctx, who.telegram_id)) {
		ctx.reply(ctx.t("admin.ban_admin", {{"user", user_label(who)}}));
		return Ok();
	}
	if (who.role == kBanned) {
		ctx.reply(ctx.t("admin.already_banned", {{"user", user_label(who)}}));
		return Ok();
	}
	if (auto r = ctx.s.store.set_user_role(who.telegram_id, std::string(kBanned)); !r.ok())
		return r.error();
	std::string reason(trim_ascii_space(std::string_view(ctx.rest).substr(ctx.args[0].size())));
	log::info("bot: user {} banned by {}", who.telegram_id, ctx.user_id());
	ctx.reply(reason.empty()
	              ? ctx.t("admin.banned", {{"user", user_label(who)}})
	              : ctx.t("admin.banned_for", {{"user", user_label(who)}, {"reason", escape_html(reason)}}));
	return Ok();
}

Result<void> unban(Context& ctx) {
	auto u = target(ctx, "admin.unban_usage");
	if (!u.ok())
		return u.error();
	if (!*u)
		return Ok();
	const store::User& who = **u;
	if (who.role != kBanned) {
		ctx.reply(ctx.t("admin.not_banned", {{"user", user_label(who)}}));
		return Ok();
	}
	std::string role = configured_admin(ctx, who.telegram_id) ? "admin" : "user";
	if (auto r = ctx.s.store.set_user_role(who.telegram_id, role); !r.ok())
		return r.error();
	log::info("bot: user {} unbanned by {} (role {})", who.telegram_id, ctx.user_id(), role);
	ctx.reply(ctx.t("admin.unbanned", {{"user", user_label(who)}, {"role", ctx.t("admin.role_" + role)}}));
	return Ok();
}

} // namespace

void add_ban(Router& r) {
	r.on_command("ban", admin_only(store::kPermManageUsers, ban));
	r.on_command("unban", admin_only(store::kPermManageUsers, unban));
}

} // namespace serversan::bot::commands
