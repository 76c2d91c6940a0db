// Throttle: a token bucket per Telegram user on the injected clock, so one flooder cannot hold up
// everyone else's replies. A user may send `burst` updates at once, then `per_second`; the first
// update over the limit gets one short notice, later ones over it are dropped in silence; the
// next notice comes only after the bucket has filled up again. Thread-safe; buckets of quiet users are
// forgotten as the table grows.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace serversan::bot {

class Throttle {
public:
	enum class Verdict { pass, notice, drop };
	explicit Throttle(double burst = 10, double per_second = 1) : burst_(burst), rate_(per_second / 1000.0) {}
	Verdict take(int64_t user, int64_t now_ms);

private:
	struct Bucket {
		double tokens = 0;
		int64_t at_ms = 0;
		bool noticed = false;
	};
	void forget_full(int64_t now_ms);

	const double burst_, rate_; // rate_ in tokens per millisecond
	std::mutex mu_;
	std::unordered_map<int64_t, Bucket> buckets_;
};

} // namespace serversan::bot
