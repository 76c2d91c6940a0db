#include "serversan/server/ingest/nonce_cache.h"

#include <fmt/format.h>

namespace serversan::ingest {

NonceCache::Outcome NonceCache::insert(uint64_t server_id, std::string_view nonce, int64_t timestamp,
                                       int64_t now_s) {
	std::lock_guard lock(mu_);
	expire(now_s);
	std::string key = fmt::format("{}:{}", server_id, nonce);
	if (keys_.contains(key))
		return Outcome::replay;
	if (keys_.size() >= capacity_)
		return Outcome::full;
	keys_.insert(key);
	// Live until the timestamp can no longer pass the window check, measured from whichever is
	// later, so a request signed "in the future" (within the skew) stays covered too.
	order_.push_back({std::max(timestamp, now_s) + window_s_ + 1, std::move(key)});
	return Outcome::fresh;
}

size_t NonceCache::size() const {
	std::lock_guard lock(mu_);
	return keys_.size();
}

void NonceCache::expire(int64_t now_s) {
	while (!order_.empty() && order_.front().expires <= now_s) {
		keys_.erase(order_.front().key);
		order_.pop_front();
	}
}

} // namespace serversan::ingest
