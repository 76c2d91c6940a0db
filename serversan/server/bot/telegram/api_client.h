// ApiClient: typed Bot API calls (bots/api) over one keep-alive connection (http_transport.h).
// Every answer is read through the {ok, result | error_code, description, parameters} envelope;
// whatever else comes back (an HTML page, a bare 500, truncated JSON, a null result, wrong types)
// is an ApiError with context, never an exception. Not thread-safe: one client per thread (the
// poller and the sender each own one). The token never appears in an error (api_error.h).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "serversan/server/bot/telegram/api_error.h"
#include "serversan/server/bot/telegram/types.h"

namespace serversan::bot::telegram {

struct ClientOptions {
	std::string api_url = "https://api.telegram.org"; // or a local Bot API server, or a test fake
	std::string token;
	std::string proxy;   // http://, https:// or socks5:// URL
	std::string ca_file; // instead of the system CA bundle
	std::chrono::milliseconds connect_timeout{10'000};
	std::chrono::milliseconds request_timeout{30'000}; // every call but a long poll
	std::chrono::milliseconds poll_margin{10'000};     // a long poll may take its timeout plus this
	const std::atomic<bool>* cancel = nullptr;         // see HttpOptions::cancel (shutdown)
};

struct SendOptions {
	std::optional<int64_t> message_thread_id; // a forum topic
	bool html = true;                         // parse_mode HTML; false = plain text
	std::optional<InlineKeyboard> keyboard;
	bool disable_link_preview = false;
	bool disable_notification = false;
	std::optional<int64_t> reply_to_message_id; // sent even if that message is gone
};

struct PhotoOptions {
	std::string caption; // HTML unless html = false
	bool html = true;
	std::optional<InlineKeyboard> keyboard;
	std::optional<int64_t> message_thread_id; // sendPhoto only
	bool disable_notification = false;        // sendPhoto only
	std::string filename = "chart.png";
};

struct WebhookOptions {
	std::string url;
	std::string secret_token; // 1-256 of A-Z a-z 0-9 _ -
	std::vector<std::string> allowed_updates;
	bool drop_pending_updates = false;
	// Parallel deliveries Telegram may make (1-100, its default 40). The bot takes 1: updates
	// then arrive in order, which the update id high-water mark (poller.h) relies on.
	int max_connections = 1;
};

class ApiClient {
public:
	explicit ApiClient(ClientOptions options);
	~ApiClient();
	ApiClient(const ApiClient&) = delete;
	ApiClient& operator=(const ApiClient&) = delete;

	ApiResult<User> get_me();
	// allowed_updates is always sent: when omitted, Telegram keeps whatever was set last.
	ApiResult<std::vector<Update>> get_updates(int64_t offset, int limit, std::chrono::seconds timeout,
	                                           const std::vector<std::string>& allowed_updates);
	ApiResult<Message> send_message(int64_t chat_id, const std::string& text,
	                                const SendOptions& options = {});
	// Without a keyboard the message's keyboard is removed, as Telegram does.
	ApiResult<Message> edit_message_text(int64_t chat_id, int64_t message_id, const std::string& text,
	                                     const std::optional<InlineKeyboard>& keyboard = std::nullopt,
	                                     bool html = true, bool disable_link_preview = false);
	ApiResult<Message> edit_message_reply_markup(int64_t chat_id, int64_t message_id,
	                                             const std::optional<InlineKeyboard>& keyboard);
	// Replaces a photo message's caption (HTML) and keyboard (none given removes it).
	ApiResult<Message> edit_message_caption(int64_t chat_id, int64_t message_id, const std::string& caption,
	                                        const std::optional<InlineKeyboard>& keyboard = std::nullopt);
	// Replaces the photo (and caption and keyboard) of a photo message: switching a chart in place.
	ApiResult<Message> edit_message_photo(int64_t chat_id, int64_t message_id, const std::string& png,
	                                      const PhotoOptions& options = {});
	ApiResult<bool> answer_callback_query(const std::string& callback_query_id, const std::string& text = "",
	                                      bool show_alert = false);
	ApiResult<bool> delete_message(int64_t chat_id, int64_t message_id);
	// png: the image bytes, sent as a multipart file upload.
	ApiResult<Message> send_photo(int64_t chat_id, const std::string& png, const PhotoOptions& options = {});
	// scope_chat: the menu of that one chat (BotCommandScopeChat), else the default scope.
	ApiResult<bool> set_my_commands(const std::vector<BotCommand>& commands,
	                                const std::string& language_code = "",
	                                std::optional<int64_t> scope_chat = std::nullopt);
	// The user's status in the chat: creator, administrator, member, restricted, left or kicked.
	ApiResult<ChatMember> get_chat_member(int64_t chat_id, int64_t user_id);
	ApiResult<bool> set_webhook(const WebhookOptions& options);
	ApiResult<bool> delete_webhook(bool drop_pending_updates = false);
	ApiResult<WebhookInfo> get_webhook_info();

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

} // namespace serversan::bot::telegram
