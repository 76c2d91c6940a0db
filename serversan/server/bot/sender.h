// Sender: the one outgoing queue (Outgoing). Sends and edits are rows of the store's outbox (the
// Reply serialised in the payload, reply_codec.h), next to what alerts and jobs queue there, so a
// restart neither loses nor repeats one: a row is marked sent only after Telegram accepted it.
// Callback answers are worthless after a restart: they stay in memory and go first. A text over
// 4096 characters becomes several rows at send(), cut at line ends (html.h), so each piece is
// delivered once even if a later one fails.
//
// Paced on the injected clock (pacer.h; or SenderOptions::pace_clock); 429 pauses the chat for retry_after
// (everything when 429s repeat); 5xx and network errors retry with jittered exponential back-off; "message is
// not modified" is success; a group that became a supergroup (migrate_to_chat_id) gets the message at its new
// id; 403 "blocked by the user" marks the user bot_blocked and nothing more goes to them until /start clears
// it (nor to a banned user: role "blocked"); chat not found, kicked and other refusals give the message up
// (dead), logged once per chat. Never logs message texts or the token.
//
// Rows of kind alerts::kOutboxKindAlert (the engine's notices) are rendered when they are sent
// (alert_notice.h); what follows from one (the edit of a firing message) is queued as a row of
// its own once it is sent. Alert notices are grouped (alert_group.h): one message for a chat's
// servers going offline together or a server's alerts firing together, at most one firing
// message per group every 5 minutes (kept in memory: a restart may send one sooner). A row that cannot be
// read is given up with a log line, never retried.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "serversan/core/clock.h"
#include "serversan/server/bot/outgoing.h"
#include "serversan/server/bot/pacer.h"
#include "serversan/server/bot/telegram/api_client.h"
#include "serversan/server/bot/worker_thread.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

struct SenderOptions {
	PacerLimits limits;
	size_t batch = 500;    // outbox rows read per step
	int max_attempts = 30; // then the message is given up
	std::chrono::milliseconds max_backoff{10 * 60'000};
	std::chrono::milliseconds idle_wait{500}; // the thread's longest sleep when nothing is due
	// The pace's clock, when not the sender's: on the test clock (main.cpp) the outbox follows the
	// moved time while Telegram's flood limits stay in real seconds.
	const Clock* pace_clock = nullptr;
};

class Sender final : public Outgoing {
public:
	Sender(store::Store& store, std::unique_ptr<telegram::ApiClient> api, const Clock& clock,
	       SenderOptions options = {});
	~Sender() override;

	void send(Reply r) override;

	// One pass: callback answers, then every due outbox row its chat's pace allows. Returns how
	// long until something may be due (the thread sleeps at most that). Tests call it directly.
	std::chrono::milliseconds step();
	// Steps until no outbox row is due at the clock's now, or those left wait for their chat's pace
	// or a retry (a few passes at most). For the test clock (main.cpp), which moves time and then
	// answers once that moment's messages are out; safe beside the thread.
	void drain();

	void start(); // runs step() on its own thread
	void stop();  // idempotent

private:
	enum class Outcome { sent, retry, dead };
	Outcome deliver(const store::OutboxMessage& m, const Reply& r, int64_t now_ms);
	Outcome on_error(const store::OutboxMessage& m, const telegram::ApiError& e, int64_t now_ms);
	bool user_blocked(int64_t chat_id);
	void mark_blocked(int64_t chat_id);
	void enqueue(const Reply& r, int64_t now_ms);
	void answer_callbacks();
	int64_t pace_ms() const { return pace_clock_.unix_millis(); }

	store::Store& store_;
	std::unique_ptr<telegram::ApiClient> api_;
	const Clock& clock_;
	const Clock& pace_clock_;
	SenderOptions options_;
	Pacer pacer_;
	std::set<int64_t> logged_dead_chats_;
	int64_t last_429_ms_ = -1;
	std::optional<int64_t> last_message_id_;       // of the last delivered row
	std::map<std::string, int64_t> last_group_ms_; // "<chat>/<group>": its last firing message

	std::mutex step_mu_; // step() on the thread, drain() on another
	std::mutex mu_;      // callbacks_: send() runs on the handlers' thread
	std::deque<Reply> callbacks_;
	WorkerThread worker_;
};

} // namespace serversan::bot
