// BotRuntime: the `bot` role. start() checks the token (getMe), publishes the command menu in
// English and Chinese (setMyCommands), removes any webhook (polling mode), then runs the sender
// and the poller on their own threads with their own Bot API connections, so a slow or hung
// Telegram never touches ingest, the writer or the jobs. In webhook mode it calls setWebhook
// (with the secret) instead of polling and takes updates from the listener's route. A bad token is one error
// from start() and nothing keeps running.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "serversan/core/clock.h"
#include "serversan/core/result.h"
#include "serversan/server/bot/bot_config.h"
#include "serversan/server/bot/poller.h"
#include "serversan/server/bot/sender.h"
#include "serversan/server/bot/webhook.h"
#include "serversan/server/bot/worker_thread.h"
#include "serversan/server/fleet/membership.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

class TelegramChatAdmins;

struct RuntimeOptions {
	BotConfig config;
	std::string public_url;
	std::string ca_file; // tests: trust this CA for an HTTPS fake
	PollerOptions poller;
	SenderOptions sender;
	std::chrono::minutes unused_after{30};  // jobs.unused_server_after, for the removal notice
	std::function<void()> rules_changed;    // BotSettings::rules_changed
	int64_t login_link_ttl_ms = 5 * 60'000; // BotSettings::login_link_ttl_ms
};

class BotRuntime {
public:
	BotRuntime(store::Store& store, const Clock& clock, RuntimeOptions options);
	~BotRuntime();

	// An error only for a token Telegram refuses (or a webhook it refuses); Telegram unreachable is
	// logged once and retried in the background, the outbox keeping what is queued meanwhile.
	Result<void> start();
	void stop();

	// Webhook mode: the path of bot.webhook_url, which the server's HTTP listener routes here.
	std::string webhook_path() const;
	// For the listener's route: the HTTP status to answer (503 while the bot is not running).
	int webhook_receive(std::string_view secret_header, std::string_view body);
	// Who is in which group, for the web API (fleet/membership.h): the same getChatMember cache
	// the bot's own admin checks use. Usable before start() and while Telegram is unreachable
	// (then it answers errors).
	fleet::GroupMembership& membership();
	// Queues the pending event notices and sends what the outbox has due now (Sender::drain)
	// before returning; nothing if not running. For the test clock (main.cpp).
	void flush_outbox();

private:
	struct Parts;
	Result<void> launch(std::unique_ptr<telegram::ApiClient> api, const telegram::User& me);

	store::Store& store_;
	const Clock& clock_;
	RuntimeOptions options_;
	std::string username_;
	std::unique_ptr<TelegramChatAdmins> admins_; // its own connection, with a 5 s timeout
	std::unique_ptr<Parts> parts_;               // uses admins_
	std::atomic<WebhookReceiver*> webhook_{nullptr};
	std::atomic<bool> cancel_{false}; // ends the Bot API calls in flight at stop()
	std::mutex mu_;                   // launch() (maybe on retry_'s thread) against stop()
	bool stopped_ = false;
	WorkerThread retry_; // getMe until Telegram answers, when it did not at start
};

} // namespace serversan::bot
