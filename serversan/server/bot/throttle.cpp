#include "serversan/server/bot/throttle.h"

#include <algorithm>

namespace serversan::bot {

namespace {
constexpr size_t kForgetAbove = 4096; // buckets kept before full ones are dropped
}

Throttle::Verdict Throttle::take(int64_t user, int64_t now_ms) {
	std::lock_guard lock(mu_);
	if (buckets_.size() > kForgetAbove)
		forget_full(now_ms);
	auto it = buckets_.try_emplace(user, Bucket{burst_, now_ms, false}).first;
	Bucket& b = it->second;
	// A clock stepping back must not mint tokens or take them away.
	if (now_ms > b.at_ms)
		b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ms - b.at_ms) * rate_);
	b.at_ms = std::max(b.at_ms, now_ms);
	// Only a user who calmed down until the bucket is full again is told again: a steady flood
	// gets its one update a second through and one notice in all, not one a second.
	if (b.tokens >= burst_)
		b.noticed = false;
	if (b.tokens >= 1) {
		b.tokens -= 1;
		return Verdict::pass;
	}
	if (b.noticed)
		return Verdict::drop;
	b.noticed = true;
	return Verdict::notice;
}

// A bucket that has refilled is the same as no bucket: dropping it changes no answer.
void Throttle::forget_full(int64_t now_ms) {
	std::erase_if(buckets_, [&](const auto& kv) {
		const Bucket& b = kv.second;
		return b.tokens + static_cast<double>(now_ms - b.at_ms) * rate_ >= burst_;
	});
}

} // namespace serversan::bot
