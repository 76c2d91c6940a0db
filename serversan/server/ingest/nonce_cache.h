// The replay cache: every (server, nonce) accepted while the request that brought it can still
// pass the window check. A request signed at timestamp t passes until now > t + window, so its
// entry lives until that second (its expiry), whatever the timestamps of later requests carrying
// the same nonce: a nonce is never accepted twice while the first request is inside the window.
//
// Layout, because at 23k requests/s the cache holds about 7 million entries: one logical hash
// table split by a hash of (server, nonce) into 4096 open-addressing shards of 24-byte entries,
// each at most half full. An entry keeps its expiry second in place of 32 bits of the nonce (the
// 128 bits are folded to 96, plenty for random nonces). A lookup probes one shard; expired entries stay
// in place until an insert finds its shard half full, which then drops them and rehashes (amortised:
// at least an eighth of the shard's slots were inserted since the last time), so no request scans the
// cache and nothing is allocated per request. A shard whose entries have all expired gives its
// table back when a sweep (one shard per insert) passes by. The count of live entries is exact
// (a ring of per-second expiry counters), so `full` means `capacity` live entries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

namespace serversan::ingest {

class NonceCache {
public:
	enum class Outcome { fresh, replay, full };

	// capacity: live entries at most (then `full`, failing closed); window_s: the timestamp window.
	NonceCache(size_t capacity, int64_t window_s);

	// Records the nonce signed at timestamp; now_s drives expiry. A timestamp outside
	// [now - window, now + window] (which the window check refuses first) is answered `full`.
	Outcome insert(uint64_t server_id, std::string_view nonce, int64_t timestamp, int64_t now_s);
	// Live entries (expiry not passed at the last insert's time).
	size_t size() const;
	// Bytes held by the tables (the metrics and the benchmark show it).
	size_t memory_bytes() const;

	static constexpr size_t kShards = 4096;

private:
	struct Entry {
		uint64_t server = 0; // the server id with the top bit set; 0: an empty slot
		uint64_t a = 0;      // the nonce folded to 96 bits (fingerprint() in the .cpp)
		uint32_t b = 0;
		uint32_t expiry = 0; // timestamp + window, mod 2^32: live while now <= expiry
	};
	static_assert(sizeof(Entry) == 24);
	struct Shard {
		std::vector<Entry> slots; // any size (a multiple of 16), at most half used
		size_t used = 0;          // live and expired entries in slots
		int64_t last_expiry = 0;  // the latest expiry in slots
	};

	void advance(int64_t now_s);
	uint64_t& counter(int64_t expiry_s); // the ring slot of expiring_ for that second
	void sweep(int64_t now_s);
	// Drops the expired entries of s and resizes it for its live ones plus room to grow.
	void compact(Shard& s, int64_t now_s);
	static size_t probe(const Shard& s, const Entry& e, uint64_t hash);

	size_t capacity_;
	int64_t window_s_;
	mutable std::mutex mu_;
	std::vector<Shard> shards_;
	std::vector<Entry> scratch_;     // compact()'s live entries; keeps its capacity
	std::vector<uint64_t> expiring_; // live entries by expiry second, mod its size
	int64_t counted_to_ = INT64_MIN; // expiries up to this second are subtracted from live_
	size_t live_ = 0;
	size_t sweep_at_ = 0;
};

} // namespace serversan::ingest
