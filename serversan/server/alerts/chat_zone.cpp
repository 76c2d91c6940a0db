#include "serversan/server/alerts/chat_zone.h"

namespace serversan::alerts {

std::string chat_zone(const store::ChatSettings& settings, const store::User* chat_user) {
	if (!settings.time_zone.empty())
		return settings.time_zone;
	if (chat_user && settings.chat_id > 0 && chat_user->telegram_id == settings.chat_id &&
	    !chat_user->time_zone.empty())
		return chat_user->time_zone;
	return "UTC";
}

std::string chat_zone(store::Store& store, const store::ChatSettings& settings) {
	std::optional<store::User> user;
	if (settings.time_zone.empty() && settings.chat_id > 0) // a private chat's id is its user's
		if (auto u = store.find_user(settings.chat_id); u.ok())
			user = *u;
	return chat_zone(settings, user ? &*user : nullptr);
}

} // namespace serversan::alerts
