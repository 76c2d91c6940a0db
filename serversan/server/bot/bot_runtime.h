// BotRuntime: the `bot` role. start() checks the token (getMe), publishes the command menu in
// English and Chinese (setMyCommands), removes any webhook (polling mode), then runs the sender
// and the poller on their own threads with their own Bot API connections, so a slow or hung
// Telegram never touches ingest, the writer or the jobs. A bad token is one error from start()
// and nothing keeps running.
#pragma once

#include <memory>
#include <string>

#include "serversan/core/clock.h"
#include "serversan/core/result.h"
#include "serversan/server/bot/bot_config.h"
#include "serversan/server/bot/poller.h"
#include "serversan/server/bot/sender.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

struct RuntimeOptions {
	BotConfig config;
	std::string public_url;
	std::string ca_file; // tests: trust this CA for an HTTPS fake
	PollerOptions poller;
	SenderOptions sender;
	std::chrono::minutes unused_after{30}; // jobs.unused_server_after, for the removal notice
};

class BotRuntime {
public:
	BotRuntime(store::Store& store, const Clock& clock, RuntimeOptions options);
	~BotRuntime();

	Result<void> start();
	void stop();
	const std::string& username() const { return username_; }

private:
	struct Parts;
	store::Store& store_;
	const Clock& clock_;
	RuntimeOptions options_;
	std::string username_;
	std::unique_ptr<Parts> parts_;
};

} // namespace serversan::bot
