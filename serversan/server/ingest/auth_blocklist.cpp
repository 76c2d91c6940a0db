#include "serversan/server/ingest/auth_blocklist.h"

#include <algorithm>

namespace serversan::ingest {

std::optional<int64_t> AuthBlocklist::blocked(std::string_view address) {
	if (options_.max_failures <= 0)
		return std::nullopt;
	int64_t now = clock_.unix_millis();
	std::lock_guard lock(mu_);
	Entry* e = table_.find(std::string(address));
	if (!e || e->blocked_until_ms <= now)
		return std::nullopt;
	return std::max<int64_t>(1, (e->blocked_until_ms - now + 999) / 1000);
}

bool AuthBlocklist::record_failure(std::string_view address) {
	if (options_.max_failures <= 0)
		return false;
	int64_t now = clock_.unix_millis();
	std::lock_guard lock(mu_);
	Entry& e = table_.get_or_create(std::string(address), [] { return Entry{}; });
	if (e.blocked_until_ms > now)
		return false; // already blocked (a request admitted just before the block started)
	if (e.failures == 0 || now - e.window_start_ms >= options_.window_s * 1000) {
		e.window_start_ms = now;
		e.failures = 0;
	}
	if (++e.failures < options_.max_failures)
		return false;
	// An address that stayed out of trouble for a full maximum block starts over at the
	// shortest block; a persistent one doubles each time.
	if (e.strikes > 0 && now - e.blocked_until_ms >= options_.max_block_s * 1000)
		e.strikes = 0;
	int64_t block_ms = options_.block_s * 1000;
	for (int i = 0; i < e.strikes && block_ms < options_.max_block_s * 1000; ++i)
		block_ms *= 2;
	block_ms = std::min(block_ms, options_.max_block_s * 1000);
	e.blocked_until_ms = now + block_ms;
	e.strikes = std::min(e.strikes + 1, 62);
	e.failures = 0;
	return true;
}

size_t AuthBlocklist::size() const {
	std::lock_guard lock(mu_);
	return table_.size();
}

size_t AuthBlocklist::blocked_count() const {
	int64_t now = clock_.unix_millis();
	std::lock_guard lock(mu_);
	size_t n = 0;
	table_.for_each([&](const std::string&, const Entry& e) { n += e.blocked_until_ms > now; });
	return n;
}

} // namespace serversan::ingest
