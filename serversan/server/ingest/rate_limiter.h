// Token-bucket rate limits (reliability.md 2.2): one bucket per key (a client address before
// authentication, a server id after it), each holding up to `burst` tokens and refilled at `rate`
// tokens per second; a request takes one token or is refused with the wait until the next one
// (the 429's Retry-After). Over any interval of length t a key is admitted at most
// burst + rate * t times. Time comes from the injected Clock, so tests move time instead of
// sleeping; a clock that steps backwards refills nothing rather than starving the bucket.
// The table is a bounded LRU: a flood of made-up keys evicts idle buckets, never grows memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/lru_map.h"

namespace serversan::ingest {

struct RateLimit {
	double per_second = 0; // 0: no limit
	double burst = 1;      // bucket size, at least 1
	bool enabled() const { return per_second > 0; }
};

class TokenBucket {
public:
	TokenBucket(double burst, Clock::time_point now) : tokens_(burst), last_(now) {}

	// Takes a token if one is there; otherwise leaves the bucket as it is and sets wait_s to the
	// time until the next token.
	bool take(const RateLimit& limit, Clock::time_point now, double& wait_s);
	double tokens() const { return tokens_; }

private:
	double tokens_;
	Clock::time_point last_;
};

struct RateDecision {
	bool allowed = true;
	int retry_after_s = 0; // whole seconds, at least 1 when refused
};

// Thread-safe.
class RateLimiter {
public:
	RateLimiter(RateLimit limit, size_t capacity, const Clock& clock)
	    : limit_(limit), clock_(clock), buckets_(capacity) {}

	RateDecision admit(std::string_view key);
	size_t size() const;
	const RateLimit& limit() const { return limit_; }

private:
	RateLimit limit_;
	const Clock& clock_;
	mutable std::mutex mu_;
	LruMap<std::string, TokenBucket> buckets_;
};

} // namespace serversan::ingest
