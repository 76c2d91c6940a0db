// FakeBotApi: a Telegram Bot API server written for ServerSan's tests, following the documented
// behaviour (../shared/research/telegram.md section 5) rather than any one implementation, so that
// the bot can also be run against others. It listens on 127.0.0.1 (port 0 = any free port), speaks
// /bot<token>/<method> like api.telegram.org, and has a /sim/* JSON API for scripts (docs/bot.md).
//
// What tests get from it in-process: inject what users do (messages, commands, button presses),
// wait for and read what the bot called, and inject faults (Telegram errors, malformed answers,
// slow answers, dropped connections). Ids are deterministic and reset() starts over.
//
// Thread-safe. Long polls block their own connection thread only; the destructor wakes them.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serversan/core/clock.h"

namespace serversan::fake_telegram {

struct SimUser {
	int64_t id = 1001;
	std::string first_name = "Alice";
	std::string username;
	std::string language_code = "en";
};

// A chat the bot can see. A private chat has the user's id; groups have negative ids.
struct SimChat {
	int64_t id = 1001;
	std::string type = "private"; // private, group, supergroup, channel
	std::string title;            // groups
	bool is_forum = false;        // supergroups with topics (message_thread_id)
};

struct Fault {
	enum class Kind {
		api_error,       // the envelope with error_code/description/parameters, HTTP status = code
		html_page,       // 502 with an HTML page, like a proxy in front of the API
		no_json_500,     // 500 with a plain-text body
		truncated_json,  // 200 with JSON cut in the middle
		null_result,     // 200 {"ok":true,"result":null}
		missing_result,  // 200 {"ok":true}
		wrong_types,     // 200 with a result whose fields have the wrong types
		drop_connection, // close the connection without answering
		delay,           // answer normally after `delay`
	};
	Kind kind = Kind::api_error;
	std::string method;             // case-insensitive; empty = every method
	std::optional<int64_t> chat_id; // only calls whose chat_id is this one
	int error_code = 400;
	std::string description = "Bad Request";
	std::optional<int> retry_after;
	std::optional<int64_t> migrate_to_chat_id;
	std::chrono::milliseconds delay{0};
	std::string body; // html_page, no_json_500: sent instead of the stock page (e.g. one echoing the URL)
	int times = 1;    // how many matching calls it hits; -1 = until clear_faults()

	static Fault too_many_requests(std::string method, int retry_after);
	static Fault blocked_by(int64_t chat_id);     // 403 Forbidden: bot was blocked by the user
	static Fault chat_not_found(int64_t chat_id); // 400 Bad Request: chat not found
	static Fault server_error(std::string method, int code = 502);
	static Fault malformed(std::string method, Kind kind);
};

// One Bot API call as the fake saw it (after faults), for assertions.
struct Call {
	std::string method;    // canonical spelling, e.g. "sendMessage"
	nlohmann::json params; // uploaded files appear as {"file": name, "size": bytes}
	int status = 200;      // HTTP status answered (0 = connection dropped)
	nlohmann::json answer; // the envelope sent back (null when not JSON)
};

struct Photo {
	int64_t chat_id = 0;
	int64_t message_id = 0;
	std::string filename;
	std::string content_type;
	std::string bytes;
	std::string caption;
};

class FakeBotApi {
public:
	struct Options {
		std::string token = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz";
		std::string bot_username = "serversan_test_bot";
		std::string bot_first_name = "ServerSan";
		uint16_t port = 0;
		const Clock* clock = nullptr; // message dates; SystemClock when null
		int64_t first_update_id = 1;
		std::chrono::milliseconds webhook_retry{200};
		std::string tls_cert_file, tls_key_file; // PEM; set: serve HTTPS instead of HTTP
	};

	FakeBotApi();
	explicit FakeBotApi(Options options);
	~FakeBotApi();
	FakeBotApi(const FakeBotApi&) = delete;
	FakeBotApi& operator=(const FakeBotApi&) = delete;

	std::string base_url() const; // http://127.0.0.1:<port>, or https:// with TLS
	uint16_t port() const;
	const std::string& token() const;
	int64_t bot_id() const;
	size_t connections_accepted() const;

	// Forgets updates, messages, calls, faults, commands and the webhook; ids start over.
	void reset();

	// What users do. Each queues one update (dropped, as Telegram does, when allowed_updates
	// excludes its kind) and returns its update_id; the chat becomes known to the bot.
	int64_t inject_message(const SimUser& from, const SimChat& chat, const std::string& text,
	                       std::optional<int64_t> message_thread_id = std::nullopt);
	int64_t inject_command(const SimUser& from, const SimChat& chat, const std::string& command_line,
	                       std::optional<int64_t> message_thread_id = std::nullopt);
	// A press on an inline button of bot message `message_id`; *query_id gets the callback id.
	int64_t press_button(const SimUser& from, const SimChat& chat, int64_t message_id,
	                     const std::string& data, std::string* query_id = nullptr);
	// Any update object (without update_id); its kind is its first key other than update_id.
	int64_t inject_update(nlohmann::json update);
	void add_chat(const SimChat& chat);
	// What getChatMember answers for user in chat: "creator", "administrator", "member", "left"...
	void set_member_status(int64_t chat_id, int64_t user_id, const std::string& status);

	// Faults apply in the order added; a fault hits each matching call until its `times` run out.
	void fail(Fault fault);
	void clear_faults();

	// Waits until the bot has made at least `n` calls of `method`; false on timeout.
	bool wait_for_call(const std::string& method, size_t n, std::chrono::milliseconds timeout) const;
	std::vector<Call> calls(const std::string& method = "") const;
	// Messages of a chat as they stand now (edits applied, deleted ones gone), oldest first.
	std::vector<nlohmann::json> messages(int64_t chat_id) const;
	std::vector<Photo> photos() const;
	size_t pending_updates() const;
	size_t waiting_polls() const; // getUpdates calls blocked in their long poll right now

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

} // namespace serversan::fake_telegram
