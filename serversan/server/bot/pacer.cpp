#include "serversan/server/bot/pacer.h"

#include <algorithm>
#include <cmath>

namespace serversan::bot {

void Pacer::Bucket::refill(double per_s, double burst, int64_t now_ms) {
	if (tokens < 0) {
		tokens = burst;
		at_ms = now_ms;
		return;
	}
	if (now_ms > at_ms) {
		tokens = std::min(burst, tokens + per_s * static_cast<double>(now_ms - at_ms) / 1000.0);
		at_ms = now_ms;
	}
}

int64_t Pacer::Bucket::wait(double per_s, double burst, int64_t now_ms) {
	refill(per_s, burst, now_ms);
	int64_t w = std::max<int64_t>(0, paused_until_ms - now_ms);
	if (tokens < 1)
		w = std::max(w, static_cast<int64_t>(std::ceil((1 - tokens) * 1000.0 / per_s)));
	return w;
}

int64_t Pacer::global_wait_ms(int64_t now_ms) {
	return global_.wait(limits_.global_per_s, limits_.global_burst, now_ms);
}

int64_t Pacer::wait_ms(int64_t chat_id, int64_t now_ms) {
	bool group = chat_id < 0;
	int64_t w = chat(chat_id).wait(group ? limits_.group_per_s : limits_.chat_per_s,
	                               group ? limits_.group_burst : limits_.chat_burst, now_ms);
	return std::max(w, global_wait_ms(now_ms));
}

void Pacer::sent_global(int64_t now_ms) {
	global_.refill(limits_.global_per_s, limits_.global_burst, now_ms);
	global_.tokens -= 1;
}

void Pacer::sent(int64_t chat_id, int64_t now_ms) {
	bool group = chat_id < 0;
	Bucket& b = chat(chat_id);
	b.refill(group ? limits_.group_per_s : limits_.chat_per_s,
	         group ? limits_.group_burst : limits_.chat_burst, now_ms);
	b.tokens -= 1;
	sent_global(now_ms);
}

void Pacer::pause_chat(int64_t chat_id, int64_t until_ms) {
	Bucket& b = chat(chat_id);
	b.paused_until_ms = std::max(b.paused_until_ms, until_ms);
}

void Pacer::pause_all(int64_t until_ms) {
	global_.paused_until_ms = std::max(global_.paused_until_ms, until_ms);
}

} // namespace serversan::bot
