// The replay cache: every (server, nonce) accepted while its timestamp can still pass the window
// check. A request whose timestamp is t is refused by the window check once now > t + window, so
// an entry is kept at least that long and then dropped with its whole time bucket.
//
// Layout, because at 23k requests/s the cache holds about 7 million entries: entries are 24 bytes in
// open-addressing tables, one table per `bucket_s` seconds of timestamps, in a ring that covers [now -
// window, now + window]. A lookup probes one table (the bucket of the request's own timestamp: a replay
// carries the original one); expiry clears whole tables; nothing is allocated per request. The protocol's
// nonce (32 hex digits) is stored as its 128 bits (the lowest not compared); any other string as a 128-bit
// hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

#include <climits>

namespace serversan::ingest {

class NonceCache {
public:
	enum class Outcome { fresh, replay, full };

	// capacity: entries at most (then `full`, failing closed); window_s: the timestamp window.
	NonceCache(size_t capacity, int64_t window_s);

	// Records the nonce signed at timestamp; now_s drives expiry. A timestamp outside
	// [now - window, now + window] (which the window check refuses first) is answered `full`.
	Outcome insert(uint64_t server_id, std::string_view nonce, int64_t timestamp, int64_t now_s);
	size_t size() const;
	// Bytes held by the tables (the metrics and the benchmark show it).
	size_t memory_bytes() const;

private:
	struct Entry {
		uint64_t server = 0; // the server id with the top bit set; 0: an empty slot
		uint64_t a = 0, b = 0;
	};
	struct Bucket {
		int64_t index = 0; // timestamp / bucket_s_ of the timestamps it holds
		size_t count = 0;
		std::vector<Entry> slots; // size 0 or a power of two; at most half full
	};
	void expire(int64_t now_s);
	// The slot holding e, or the empty slot where it would go (the table is never full).
	static size_t probe(const Bucket& b, const Entry& e);
	static bool contains(const Bucket& b, const Entry& e);
	// True if e was there; else it is added.
	static bool find_or_add(Bucket& b, const Entry& e);
	static void grow(Bucket& b);

	size_t capacity_;
	int64_t window_s_;
	int64_t bucket_s_;
	mutable std::mutex mu_;
	std::vector<Bucket> ring_; // bucket index k lives at ring_[k mod size] while it is live
	size_t total_ = 0;
	int64_t expired_at_ = INT64_MIN; // expire() last ran for this second
};

} // namespace serversan::ingest
