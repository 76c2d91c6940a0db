// Poller: long polling (getUpdates) for the bot's polling mode. The offset comes from the store
// (bot_state "last_update_id"); each update goes to the UpdateHandler and its id is persisted only
// after handle() returns, so a restart neither loses nor repeats a command. A poll that comes back
// empty at once (an API that does not long-poll) is followed by min_interval of rest, errors by
// jittered back-off, so the loop never spins hot. 401: one clear line, the poller stops for good;
// 409 (a webhook or another poller): logged once, backed off.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/server/bot/telegram/api_client.h"
#include "serversan/server/bot/update_handler.h"
#include "serversan/server/bot/worker_thread.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

inline constexpr const char* kLastUpdateKey = "last_update_id";
inline constexpr const char* kLastUpdateTimeKey = "last_update_ms"; // when it was handled
const std::vector<std::string>& allowed_updates();

// Persists the update_id once handled; shared by the poller and the webhook, which hand updates
// over the same way. An id at or below the last handled one is a repeat (a webhook retry, an
// offset not confirmed in time), except after a long silence: Telegram numbers updates in
// sequence, but after a week without any it starts again at a random id, which may be lower
// (Bot API, Update.update_id). So once kSequenceGap has passed since the last handled update,
// any id is new.
class UpdateSink {
public:
	static constexpr int64_t kSequenceGapMs = 6LL * 24 * 3600 * 1000; // under Telegram's week
	UpdateSink(store::Store& store, UpdateHandler& handler, const Clock& clock)
	    : store_(store), handler_(handler), clock_(clock) {}
	// The last handled update_id from the store (0: none yet).
	int64_t last_handled();
	// Hands `u` over unless it was handled already; true once its id is persisted.
	bool handle(const telegram::Update& u);

private:
	bool repeat(int64_t update_id);
	store::Store& store_;
	UpdateHandler& handler_;
	const Clock& clock_;
	int64_t last_ = -1;    // -1: not read yet
	int64_t last_ms_ = -1; // when last_ was handled; 0: unknown (stored by an older version)
};

struct PollerOptions {
	std::chrono::seconds timeout{25};
	int limit = 100;
	std::chrono::milliseconds min_interval{1000}; // between polls that came back empty at once
	std::chrono::milliseconds first_backoff{1000}, max_backoff{60'000};
	const std::atomic<bool>* stopping = nullptr; // set: a failed poll is shutdown, not an error to log
};

class Poller {
public:
	Poller(store::Store& store, telegram::ApiClient& api, UpdateHandler& handler, const Clock& clock,
	       PollerOptions options = {});
	~Poller();

	enum class Next { poll, stop };
	// One getUpdates and its updates; sets *wait to the pause before the next poll.
	Next poll_once(std::chrono::milliseconds* wait);

	void start(); // poll_once() in a loop on its own thread until stop() or a 401
	void stop();
	bool stopped_for_good() const { return dead_.load(); }

private:
	telegram::ApiClient& api_;
	UpdateSink sink_;
	PollerOptions options_;
	int errors_ = 0;
	bool logged_conflict_ = false;
	std::atomic<bool> dead_{false};

	WorkerThread worker_;
};

} // namespace serversan::bot
