#include "serversan/server/ingest/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace serversan::ingest {

bool TokenBucket::take(const RateLimit& limit, Clock::time_point now, double& wait_s) {
	double burst = std::max(1.0, limit.burst);
	if (now > last_) {
		double elapsed = std::chrono::duration<double>(now - last_).count();
		tokens_ = std::min(burst, tokens_ + elapsed * limit.per_second);
	}
	// A backwards step moves the reference back too, so refilling resumes from the new "now"
	// instead of waiting until the clock catches up with the old one.
	last_ = now;
	if (tokens_ >= 1.0) {
		tokens_ -= 1.0;
		wait_s = 0;
		return true;
	}
	wait_s = (1.0 - tokens_) / limit.per_second;
	return false;
}

RateDecision RateLimiter::admit(std::string_view key) {
	if (!limit_.enabled())
		return {};
	Clock::time_point now = clock_.now();
	double burst = std::max(1.0, limit_.burst);
	std::lock_guard lock(mu_);
	TokenBucket& b = buckets_.get_or_create(std::string(key), [&] { return TokenBucket(burst, now); });
	double wait_s = 0;
	if (b.take(limit_, now, wait_s))
		return {};
	return {false, std::max(1, static_cast<int>(std::ceil(wait_s)))};
}

size_t RateLimiter::size() const {
	std::lock_guard lock(mu_);
	return buckets_.size();
}

} // namespace serversan::ingest
