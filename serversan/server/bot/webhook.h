// WebhookReceiver: webhook mode's way in. The server's HTTP listener hands it each POST to the
// webhook path; a request without the right X-Telegram-Bot-Api-Secret-Token (compared in constant
// time) is 401 and never handled; anything else is answered at once (200, or 400 for a body that
// is no update) and the update waits in memory for the bot's own thread, which hands it to the
// UpdateHandler through the same UpdateSink as the poller (update_id persisted after handling, so
// a delivery Telegram repeats is not handled twice). A full queue answers 503: Telegram retries.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <string_view>

#include "serversan/server/bot/poller.h"
#include "serversan/server/bot/worker_thread.h"

namespace serversan::bot {

class WebhookReceiver {
public:
	WebhookReceiver(store::Store& store, UpdateHandler& handler, const Clock& clock, std::string secret,
	                size_t max_queue = 10'000);
	~WebhookReceiver();

	// On an HTTP thread: the status to answer. Never blocks on the handler.
	int receive(std::string_view secret_header, std::string_view body);
	// Handles what is queued (the thread calls it; tests too). Returns how many.
	size_t step();
	void start();
	void stop();

private:
	UpdateSink sink_;
	std::string secret_;
	size_t max_queue_;
	std::mutex mu_;
	std::deque<telegram::Update> queue_;
	WorkerThread worker_;
};

} // namespace serversan::bot
