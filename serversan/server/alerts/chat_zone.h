// Which time zone applies in a chat: quiet hours, the digest hour and the times shown in the chat
// are all read in it. One rule for the bot and the alert engine, so "23:00" means the same hour
// to both: the chat's own zone if it set one (a group with /timezone), else in a private chat
// the user's zone (User.time_zone), else UTC.
#pragma once

#include <string>

#include "serversan/server/store/store.h"

namespace serversan::alerts {

// chat_user: the user whose private chat settings.chat_id is (a private chat's id is its user's
// id), or nullptr; ignored for groups and for any other user.
std::string chat_zone(const store::ChatSettings& settings, const store::User* chat_user);
// The same, reading the private chat's user from the store (a failed read: as if none).
std::string chat_zone(store::Store& store, const store::ChatSettings& settings);

} // namespace serversan::alerts
