#include "serversan/server/bot/chat_locale.h"

#include "serversan/core/log.h"
#include "serversan/server/alerts/chat_zone.h"

namespace serversan::bot {

ChatLocale chat_locale(store::Store& store, int64_t chat_id) {
	ChatLocale out;
	out.settings.chat_id = chat_id;
	std::optional<store::User> user;
	if (chat_id > 0) // a private chat's id is its user's
		if (auto u = store.find_user(chat_id); u.ok() && *u)
			user = **u;
	if (user)
		out.lang = language_for(user->language);
	if (auto s = store.chat_settings(chat_id); s.ok())
		out.settings = std::move(*s);
	else
		log::warn("bot: cannot read chat {}'s settings: {}", chat_id, s.error().message);
	if (!out.settings.language.empty()) // the chat's own (a group's, set with /language)
		out.lang = language_for(out.settings.language);
	out.zone = alerts::chat_zone(out.settings, user ? &*user : nullptr);
	return out;
}

} // namespace serversan::bot
