// Pacer: Telegram's flood limits (bots/faq) as token buckets on the injected clock: about one
// message a second per private chat with short bursts, 20 a minute per group, 30 a second in all;
// plus pauses from 429 retry_after, per chat or for everything. The sender asks before each call.
#pragma once

#include <cstdint>
#include <unordered_map>

namespace serversan::bot {

struct PacerLimits {
	double chat_per_s = 1, chat_burst = 3;
	double group_per_s = 20.0 / 60, group_burst = 3;
	double global_per_s = 30, global_burst = 30;
};

class Pacer {
public:
	explicit Pacer(PacerLimits limits = {}) : limits_(limits) {}
	// Milliseconds until a message to chat_id may go (0: now). Groups have negative ids.
	int64_t wait_ms(int64_t chat_id, int64_t now_ms);
	// Milliseconds until any call may go (callback answers count only against the total).
	int64_t global_wait_ms(int64_t now_ms);
	// Takes a token from the chat's bucket and the global one.
	void sent(int64_t chat_id, int64_t now_ms);
	void sent_global(int64_t now_ms);
	void pause_chat(int64_t chat_id, int64_t until_ms);
	void pause_all(int64_t until_ms);

private:
	struct Bucket {
		double tokens = -1; // < 0: new, full
		int64_t at_ms = 0;
		int64_t paused_until_ms = 0;
		void refill(double per_s, double burst, int64_t now_ms);
		int64_t wait(double per_s, double burst, int64_t now_ms);
	};
	Bucket& chat(int64_t chat_id) { return chats_[chat_id]; }

	PacerLimits limits_;
	Bucket global_;
	std::unordered_map<int64_t, Bucket> chats_;
};

} // namespace serversan::bot
