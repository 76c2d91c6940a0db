// The fake's state and the Bot API methods that only read and change it (everything except
// getUpdates and the webhook, which wait and deliver: fake_bot_api.cpp). Callers hold the lock.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "test/fake_telegram/fake_bot_api.h"
#include "test/fake_telegram/request_params.h"

namespace serversan::fake_telegram {

// An answer in Telegram's envelope; the HTTP status equals error_code.
struct Reply {
	int status = 200;
	nlohmann::json envelope;
};
Reply ok_reply(nlohmann::json result, const std::string& description = "");
Reply error_reply(int code, const std::string& description, nlohmann::json parameters = nullptr);
inline Reply bad_request(const std::string& what) {
	return error_reply(400, "Bad Request: " + what);
}

struct State {
	FakeBotApi::Options options;
	nlohmann::json bot_user;

	int64_t next_update_id = 1;
	std::deque<nlohmann::json> updates; // queued, not yet confirmed
	nlohmann::json allowed_updates = nlohmann::json::array();

	std::map<int64_t, nlohmann::json> chats;
	std::map<int64_t, int64_t> next_message_id;                     // per chat, as in Telegram
	std::map<std::pair<int64_t, int64_t>, nlohmann::json> messages; // (chat, message id)
	std::map<std::string, bool> callback_queries;                   // id -> answered
	int64_t next_callback_id = 1;
	std::vector<Photo> photos;
	std::map<std::string, nlohmann::json> commands; // scope type + "/" + language -> BotCommand[]

	std::map<std::pair<int64_t, int64_t>, std::string> member_status; // (chat, user) -> getChatMember status

	std::string webhook_url, webhook_secret;
	int webhook_max_connections = 40;
	int64_t webhook_last_error_date = 0;
	std::string webhook_last_error;

	int64_t now_s() const;
	void clear();
	// Adds the update if allowed_updates lets its kind through; its id, or 0 when dropped.
	int64_t queue_update(nlohmann::json update);
	nlohmann::json remember_chat(const SimChat& chat);
	int64_t take_message_id(int64_t chat_id);
};

// sendMessage, sendPhoto, the edits, deleteMessage, answerCallbackQuery, the command methods,
// getMe, getChatMember; nullopt for a method this function does not handle.
std::optional<Reply> handle_stateful_method(State& s, const std::string& method, const Params& p);

// Canonical spelling of a Bot API method name given in any case; empty when unknown.
std::string canonical_method(const std::string& name);

} // namespace serversan::fake_telegram
