// AuthBlocklist: counts failed authentications (every 401) per client address and blocks an
// address that fails too often (reliability.md 2.2: 20 failures within a minute block it for
// 5 minutes, each further block of the same address doubles, up to an hour). Blocked addresses
// get 429 with Retry-After before their Authorization header is even parsed.
//
// Memory only, on purpose: a failure costs a hash-table update, never a database write (Nezha
// wrote a row per failure, which turns an attack into disk I/O). The table is a bounded LRU; a
// flood from more addresses than it holds forgets the least recently seen ones first.
// Time comes from the injected Clock. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/lru_map.h"

namespace serversan::ingest {

struct AuthBlockOptions {
	int max_failures = 20;      // within window_s; 0 turns blocking off
	int64_t window_s = 60;      // failures older than this are forgotten
	int64_t block_s = 300;      // first block
	int64_t max_block_s = 3600; // repeated blocks double up to this
	size_t capacity = 100'000;  // addresses remembered
};

class AuthBlocklist {
public:
	AuthBlocklist(AuthBlockOptions options, const Clock& clock)
	    : options_(options), clock_(clock), table_(options.capacity) {}

	// Seconds left (at least 1) if the address is blocked now.
	std::optional<int64_t> blocked(std::string_view address);
	// Counts one failure; true if it started a block.
	bool record_failure(std::string_view address);

	size_t size() const;
	size_t blocked_count() const;
	const AuthBlockOptions& options() const { return options_; }

private:
	struct Entry {
		int64_t window_start_ms = 0;
		int failures = 0;
		int64_t blocked_until_ms = 0;
		int strikes = 0; // blocks so far; reset after max_block_s without one
	};
	AuthBlockOptions options_;
	const Clock& clock_;
	mutable std::mutex mu_;
	LruMap<std::string, Entry> table_;
};

} // namespace serversan::ingest
