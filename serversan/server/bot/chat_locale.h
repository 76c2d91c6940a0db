// How a chat reads what the bot sends it unasked (alerts, events): the language (the chat's own,
// ChatSettings.language, which a group's admins set with /language; else a private chat's
// user's; else English) and the time zone
// (alerts::chat_zone: the chat's own, else the private chat's user's, else UTC). A failed read
// gives English and UTC: a message in the wrong language is better than none.
#pragma once

#include <cstdint>
#include <string>

#include "serversan/server/bot/i18n.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

struct ChatLocale {
	Lang lang = Lang::en;
	std::string zone = "UTC";
	store::ChatSettings settings; // as read (the defaults if the read failed)
};

ChatLocale chat_locale(store::Store& store, int64_t chat_id);

} // namespace serversan::bot
