// /language: one button per language. In a private chat the choice is the user's (User.language);
// in a group it is the group's (ChatSettings.language, set by its admins like /timezone), which
// every message to the group follows: replies whoever asks, alerts, digests, events
// (chat_locale.h). The confirmation is already in the new language.
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/context.h"

namespace serversan::bot::commands {

namespace {

Result<void> set_group_language(Context& ctx, Lang l) {
	auto settings = ctx.s.store.chat_settings(ctx.chat_id);
	if (!settings.ok())
		return settings.error();
	settings->language = std::string(language_tag(l));
	settings->updated_ms = ctx.now_ms();
	return ctx.s.store.put_chat_settings(*settings);
}

Result<void> set_user_language(Context& ctx, Lang l) {
	store::User u = ctx.user;
	u.language = std::string(language_tag(l));
	auto updated = ctx.s.store.update_user(u);
	if (!updated.ok())
		return updated.error();
	ctx.user = u;
	return Ok();
}

telegram::InlineKeyboard language_buttons() {
	telegram::InlineKeyboard kb(1);
	for (Lang l : kLanguages)
		kb[0].push_back({std::string(language_name(l)), "lang:" + std::string(language_tag(l)), {}});
	return kb;
}

} // namespace

void add_language(Router& r) {
	r.on_command("language", [](Context& ctx) -> Result<void> {
		if (ctx.private_chat) {
			ctx.reply(ctx.t("chat.language_pick"), language_buttons());
			return Ok();
		}
		// Everyone may ask; only an admin gets the buttons (a member's press would be refused).
		auto who = actor_of(ctx);
		if (!who.ok())
			return who.error();
		auto verdict = check_chat_change(ctx.s.admins, *who);
		// The group's own, else English (what its alerts use), whatever the asker's language.
		auto settings = ctx.s.store.chat_settings(ctx.chat_id);
		if (!settings.ok())
			return settings.error();
		std::string name(language_name(language_for(settings->language)));
		if (verdict.ok() && *verdict == Verdict::allowed)
			ctx.reply(ctx.t("chat.language_group_pick", {{"lang", name}}), language_buttons());
		else
			ctx.reply(ctx.t("chat.language_group_view", {{"lang", name}}));
		return Ok();
	});
	r.on_button("lang", [](Context& ctx) -> Result<void> {
		// Only a tag we offered; anything else is a forged or outdated button.
		for (Lang l : kLanguages) {
			if (ctx.rest != language_tag(l))
				continue;
			if (!ctx.private_chat) {
				auto may = may_change_chat(ctx);
				if (!may.ok() || !*may)
					return may.ok() ? Ok() : Result<void>(may.error());
			}
			auto saved = ctx.private_chat ? set_user_language(ctx, l) : set_group_language(ctx, l);
			if (!saved.ok())
				return saved.error();
			ctx.lang = l;
			ctx.show(ctx.t(ctx.private_chat ? "chat.language_set" : "chat.language_group_set"));
			return Ok();
		}
		ctx.answer(ctx.t("chat.stale_button"));
		return Ok();
	});
}

} // namespace serversan::bot::commands
