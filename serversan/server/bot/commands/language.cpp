// /language: one button per language; the choice is stored in User.language and the
// confirmation is already in the new language.
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"

namespace serversan::bot::commands {

void add_language(Router& r) {
	r.on_command("language", [](Context& ctx) -> Result<void> {
		telegram::InlineKeyboard kb(1);
		for (Lang l : kLanguages)
			kb[0].push_back({std::string(language_name(l)), "lang:" + std::string(language_tag(l)), {}});
		ctx.reply(ctx.t("chat.language_pick"), std::move(kb));
		return Ok();
	});
	r.on_button("lang", [](Context& ctx) -> Result<void> {
		// Only a tag we offered; anything else is a forged or outdated button.
		for (Lang l : kLanguages) {
			if (ctx.rest != language_tag(l))
				continue;
			store::User u = ctx.user;
			u.language = std::string(language_tag(l));
			auto updated = ctx.s.store.update_user(u);
			if (!updated.ok())
				return updated.error();
			ctx.user = u;
			ctx.lang = l;
			ctx.show(ctx.t("chat.language_set"));
			return Ok();
		}
		ctx.answer(ctx.t("chat.stale_button"));
		return Ok();
	});
}

} // namespace serversan::bot::commands
