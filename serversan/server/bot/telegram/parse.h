// Bot API JSON -> the structs of types.h, and the reverse for what the bot sends. Parsers throw
// nlohmann::json exceptions on a missing field or a wrong type; ApiClient catches them at its
// boundary and turns them into ApiError::Kind::malformed, so nothing escapes to callers.
#pragma once

#include <nlohmann/json.hpp>

#include "serversan/server/bot/telegram/types.h"

namespace serversan::bot::telegram {

User parse_user(const nlohmann::json& j);
Chat parse_chat(const nlohmann::json& j);
Message parse_message(const nlohmann::json& j);
CallbackQuery parse_callback_query(const nlohmann::json& j);
ChatMemberUpdated parse_chat_member_updated(const nlohmann::json& j);
// Needs update_id; a body of an unexpected shape gives Kind::malformed instead of throwing.
Update parse_update(const nlohmann::json& j);
WebhookInfo parse_webhook_info(const nlohmann::json& j);

nlohmann::json keyboard_json(const InlineKeyboard& keyboard);

} // namespace serversan::bot::telegram
