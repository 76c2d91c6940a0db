// NonceCache: remembers (server, nonce) pairs until their signed timestamp leaves the replay
// window, so an identical request replayed inside the window is refused. Bounded: when full it
// refuses new entries (the caller answers 503) rather than evicting live ones, which would
// re-open a replay. Entries are inserted only after the MAC verified, so forged requests cannot
// fill it. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace serversan::ingest {

class NonceCache {
public:
	enum class Outcome { fresh, replay, full };

	NonceCache(size_t capacity, int64_t window_s) : capacity_(capacity), window_s_(window_s) {}

	// Records the nonce signed at timestamp; now_s drives expiry.
	Outcome insert(uint64_t server_id, std::string_view nonce, int64_t timestamp, int64_t now_s);
	size_t size() const;

private:
	void expire(int64_t now_s);

	struct Entry {
		int64_t expires;
		std::string key;
	};
	size_t capacity_;
	int64_t window_s_;
	mutable std::mutex mu_;
	std::unordered_set<std::string> keys_;
	// Expiry order equals insertion order only approximately (timestamps vary within the
	// window), so expire() pops while the front is expired and tolerates a late front: an entry
	// may live up to 2 * window, never less than its window.
	std::deque<Entry> order_;
};

} // namespace serversan::ingest
