#include "serversan/server/ingest/nonce_cache.h"

#include <algorithm>
#include <bit>

#include <climits>

#include "serversan/core/encoding.h"

namespace serversan::ingest {

namespace {

constexpr size_t kMinSlots = 16;
// Marks a used slot. Server ids are SQLite rowids (below 2^63), so no id loses a bit to it.
constexpr uint64_t kUsed = uint64_t{1} << 63;
constexpr int kShardBits = 12;
static_assert(NonceCache::kShards == size_t{1} << kShardBits);

uint64_t mix(uint64_t x) {
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

// 32 hex digits: their 128 bits folded to 96. Anything else: two independent 64-bit FNV-1a hashes (a
// hashed nonce meets a hex one with probability 2^-96).
void fingerprint(std::string_view nonce, uint64_t& a, uint32_t& b) {
	if (nonce.size() == 32) {
		uint64_t v[2] = {0, 0};
		bool hex = true;
		for (size_t i = 0; i < 32 && hex; ++i) {
			int d = hex_digit_value(nonce[i]);
			hex = d >= 0;
			v[i / 16] = (v[i / 16] << 4) | static_cast<uint64_t>(d < 0 ? 0 : d);
		}
		if (hex) {
			// 128 bits folded to 96 so that nonces differing in any one half never meet (mix is a
			// bijection): an agent whose nonces are a counter, against the spec, is not refused.
			a = v[1] ^ mix(v[0]);
			b = static_cast<uint32_t>(v[0] >> 32);
			return;
		}
	}
	uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull ^ nonce.size();
	for (char c : nonce) {
		h1 = (h1 ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
		h2 = (h2 ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
		h2 = (h2 << 29) | (h2 >> 35);
	}
	a = h1;
	b = static_cast<uint32_t>(h2 >> 32);
}

uint64_t hash_of(uint64_t server, uint64_t a, uint32_t b) {
	return mix(a ^ (server * 0x9e3779b97f4a7c15ull) ^ (uint64_t{b} * 0xd6e8feb86659fd93ull));
}

// now <= expiry, on the 32-bit ring of seconds (entries live minutes, not decades).
bool live_at(uint32_t expiry, int64_t now_s) {
	return static_cast<int32_t>(expiry - static_cast<uint32_t>(now_s)) >= 0;
}

bool same_key(const auto& x, const auto& y) {
	return x.server == y.server && x.a == y.a && x.b == y.b;
}

} // namespace

NonceCache::NonceCache(size_t capacity, int64_t window_s)
    : capacity_(capacity), window_s_(std::max<int64_t>(window_s, 0)), shards_(kShards),
      // Expiries lie in [now, now + 2 window]: one counter per second of that, a power of two.
      expiring_(std::bit_ceil(static_cast<size_t>(2 * window_s_ + 2)), 0) {}

// Subtracts the entries whose expiry second has passed. Bounded by the ring's size per call, and
// by one second's counter per second of time in the long run.
void NonceCache::advance(int64_t now_s) {
	int64_t to = now_s - 1; // an entry with expiry < now is expired
	if (counted_to_ == INT64_MIN || to - counted_to_ >= static_cast<int64_t>(expiring_.size())) {
		std::fill(expiring_.begin(), expiring_.end(), 0);
		live_ = 0;
		counted_to_ = to;
		return;
	}
	for (; counted_to_ < to; ++counted_to_) {
		uint64_t& c = counter(counted_to_ + 1);
		live_ -= c;
		c = 0;
	}
}

uint64_t& NonceCache::counter(int64_t second) {
	return expiring_[static_cast<size_t>(static_cast<uint64_t>(second) & (expiring_.size() - 1))];
}

// One shard per insert: if everything in it has expired, its table is given back.
void NonceCache::sweep(int64_t now_s) {
	Shard& s = shards_[sweep_at_];
	sweep_at_ = (sweep_at_ + 1) % kShards;
	if (!s.slots.empty() && s.last_expiry < now_s) {
		std::vector<Entry>().swap(s.slots);
		s.used = 0;
	}
}

size_t NonceCache::probe(const Shard& s, const Entry& e, uint64_t hash) {
	// The hash's low bits (the shard took the high ones) scaled to the table: any size works.
	size_t n = s.slots.size();
	auto i = static_cast<size_t>((static_cast<unsigned __int128>(hash << kShardBits) * n) >> 64);
	while (s.slots[i].server != 0 && !same_key(s.slots[i], e))
		i = i + 1 == n ? 0 : i + 1;
	return i;
}

void NonceCache::compact(Shard& s, int64_t now_s) {
	scratch_.clear();
	int64_t last = INT64_MIN;
	for (const Entry& e : s.slots)
		if (e.server != 0 && live_at(e.expiry, now_s)) {
			scratch_.push_back(e);
			last = std::max(last, now_s + static_cast<int32_t>(e.expiry - static_cast<uint32_t>(now_s)));
		}
	size_t live = scratch_.size();
	// Three slots per live entry: the next compaction is half a shard's live count of inserts away
	// (amortised: six slots scanned and two entries moved per insert). Kept while it is between 3/16
	// and 3/8 full, so a steady shard is not reallocated.
	size_t want = std::max(kMinSlots, ((live + 1) * 3 + kMinSlots - 1) / kMinSlots * kMinSlots);
	size_t have = s.slots.size();
	bool keep =
	    have >= kMinSlots && 8 * (live + 1) <= 3 * have && (16 * (live + 1) >= 3 * have || have == kMinSlots);
	if (keep)
		std::fill(s.slots.begin(), s.slots.end(), Entry{});
	else
		std::vector<Entry>(want).swap(s.slots); // assign() would keep a larger capacity
	for (const Entry& e : scratch_)
		s.slots[probe(s, e, hash_of(e.server, e.a, e.b))] = e;
	s.used = live;
	s.last_expiry = last;
}

NonceCache::Outcome NonceCache::insert(uint64_t server_id, std::string_view nonce, int64_t timestamp,
                                       int64_t now_s) {
	Entry e;
	e.server = server_id | kUsed;
	fingerprint(nonce, e.a, e.b);
	uint64_t h = hash_of(e.server, e.a, e.b);
	int64_t expiry = timestamp + window_s_;
	e.expiry = static_cast<uint32_t>(expiry);
	std::lock_guard lock(mu_);
	advance(now_s);
	sweep(now_s);
	if (timestamp < now_s - window_s_ || timestamp > now_s + window_s_)
		return Outcome::full; // the window check refused it already; its expiry has no counter
	Shard& s = shards_[h >> (64 - kShardBits)];
	if (s.used > 0 && s.last_expiry < now_s)
		compact(s, now_s); // all expired: back to the smallest table
	size_t i = s.slots.empty() ? 0 : probe(s, e, h);
	bool found = !s.slots.empty() && s.slots[i].server != 0;
	if (found && live_at(s.slots[i].expiry, now_s))
		return Outcome::replay;
	if (live_ >= capacity_) // full: a replay is still recognised, nothing new is remembered
		return Outcome::full;
	if (!found && 2 * (s.used + 1) > s.slots.size()) {
		compact(s, now_s);
		i = probe(s, e, h);
	}
	if (s.slots[i].server == 0)
		++s.used;
	// An expired entry for the same key is renewed in place.
	s.slots[i] = e;
	s.last_expiry = std::max(s.last_expiry, expiry);
	++counter(expiry);
	++live_;
	return Outcome::fresh;
}

size_t NonceCache::size() const {
	std::lock_guard lock(mu_);
	return live_;
}

size_t NonceCache::memory_bytes() const {
	std::lock_guard lock(mu_);
	size_t n = scratch_.capacity() * sizeof(Entry) + expiring_.capacity() * sizeof(uint64_t);
	for (const Shard& s : shards_)
		n += s.slots.capacity() * sizeof(Entry);
	return n;
}

} // namespace serversan::ingest
