// The parts of Bot API objects the bot uses (bots/api#available-types). Ids are int64_t: chat and
// user ids can need 52 bits. Fields the bot does not read are not kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace serversan::bot::telegram {

struct User {
	int64_t id = 0;
	bool is_bot = false;
	std::string first_name, last_name, username, language_code;
};

// getChatMember's answer: the status (creator, administrator, member, restricted, left, kicked)
// and whether the user is in the chat (a restricted user may have left it).
struct ChatMember {
	std::string status;
	bool is_member = false;
};

struct Chat {
	int64_t id = 0;
	std::string type; // private, group, supergroup, channel
	std::string title, username, first_name;
	bool is_forum = false;
};

struct MessageEntity {
	std::string type;               // bot_command, bold, text_link, ...
	int64_t offset = 0, length = 0; // UTF-16 code units
};

struct Message {
	int64_t message_id = 0;
	std::optional<int64_t> message_thread_id;
	bool is_topic_message = false;
	std::optional<User> from;
	Chat chat;
	int64_t date = 0; // Unix seconds; 0 for an inaccessible message
	std::string text;
	std::vector<MessageEntity> entities;
	std::string caption;
	bool has_photo = false;
	std::optional<int64_t> edit_date;
};

struct CallbackQuery {
	std::string id;
	User from;
	std::optional<Message> message; // absent for inline-mode messages
	std::string chat_instance;
	std::string data;
};

// my_chat_member: the bot's own status in a chat changed ("kicked" in a private chat = blocked).
struct ChatMemberUpdated {
	Chat chat;
	User from;
	int64_t date = 0;
	std::string old_status, new_status;
};

struct Update {
	enum class Kind {
		message,
		edited_message,
		callback_query,
		my_chat_member,
		other,     // a kind the bot does not handle: skip it, but confirm its update_id
		malformed, // a known kind with an unexpected shape: skip it the same way
	};
	int64_t update_id = 0;
	Kind kind = Kind::other;
	std::optional<Message> message; // message and edited_message
	std::optional<CallbackQuery> callback_query;
	std::optional<ChatMemberUpdated> my_chat_member;
};

struct InlineButton {
	std::string text;
	std::string callback_data; // 1-64 bytes; or
	std::string url;           // or
	std::string web_app;       // an https URL opened as a Mini App (private chats only)
};
using InlineKeyboard = std::vector<std::vector<InlineButton>>;

struct BotCommand {
	std::string command; // 1-32 of [a-z0-9_]
	std::string description;
};

struct WebhookInfo {
	std::string url; // empty: no webhook (getUpdates mode)
	bool has_custom_certificate = false;
	int64_t pending_update_count = 0;
	std::optional<int64_t> last_error_date;
	std::string last_error_message;
	std::optional<int64_t> max_connections;
	std::vector<std::string> allowed_updates;
};

} // namespace serversan::bot::telegram
