#include "serversan/server/ingest/nonce_cache.h"

#include <algorithm>
#include <cstring>

#include "serversan/core/encoding.h"

namespace serversan::ingest {

namespace {

constexpr size_t kFirstSlots = 1024;
// Marks a used slot. Server ids are SQLite rowids (below 2^63), so no id loses a bit to it.
constexpr uint64_t kUsed = uint64_t{1} << 63;

int64_t floor_div(int64_t a, int64_t b) {
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

uint64_t mix(uint64_t x) {
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

// 32 hex digits: their 128 bits. Anything else: two independent 64-bit FNV-1a hashes (a hashed
// nonce meets a hex one with probability 2^-128).
void fingerprint(std::string_view nonce, uint64_t& a, uint64_t& b) {
	if (nonce.size() == 32) {
		uint64_t v[2] = {0, 0};
		bool hex = true;
		for (size_t i = 0; i < 32 && hex; ++i) {
			int d = hex_digit_value(nonce[i]);
			hex = d >= 0;
			v[i / 16] = (v[i / 16] << 4) | static_cast<uint64_t>(d < 0 ? 0 : d);
		}
		if (hex) {
			a = v[0];
			b = v[1];
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
	b = h2;
}

} // namespace

NonceCache::NonceCache(size_t capacity, int64_t window_s)
    : capacity_(capacity), window_s_(std::max<int64_t>(window_s, 0)),
      // About 30 buckets per window: an entry outlives its need by at most one bucket.
      bucket_s_(std::max<int64_t>(1, window_s_ / 30)) {
	// Timestamps in [now - window, now + window] span this many buckets, plus one being
	// cleared while the newest fills.
	ring_.resize(static_cast<size_t>((2 * window_s_) / bucket_s_ + 3));
	for (size_t i = 0; i < ring_.size(); ++i)
		ring_[i].index = static_cast<int64_t>(i) - static_cast<int64_t>(ring_.size()) * 2; // long expired
}

void NonceCache::expire(int64_t now_s) {
	if (now_s == expired_at_)
		return;
	expired_at_ = now_s;
	// A bucket is needed while one of its timestamps can pass the window check:
	// (index + 1) * bucket_s - 1 >= now - window.
	int64_t oldest_needed = floor_div(now_s - window_s_, bucket_s_);
	for (Bucket& b : ring_) {
		if (b.index < oldest_needed && b.count > 0) {
			total_ -= b.count;
			b.count = 0;
			// A table that grew for a burst is given back; a usual one is kept for reuse.
			if (b.slots.size() > 4 * kFirstSlots)
				std::vector<Entry>().swap(b.slots);
			else
				std::fill(b.slots.begin(), b.slots.end(), Entry{});
		}
	}
}

void NonceCache::grow(Bucket& b) {
	std::vector<Entry> old;
	old.swap(b.slots);
	b.slots.assign(old.empty() ? kFirstSlots : old.size() * 2, Entry{});
	for (const Entry& e : old)
		if (e.server != 0)
			b.slots[probe(b, e)] = e;
}

size_t NonceCache::probe(const Bucket& b, const Entry& e) {
	size_t mask = b.slots.size() - 1;
	size_t i = static_cast<size_t>(mix(e.a ^ (e.server * 0x9e3779b97f4a7c15ull))) & mask;
	while (b.slots[i].server != 0 &&
	       !(b.slots[i].a == e.a && b.slots[i].b == e.b && b.slots[i].server == e.server))
		i = (i + 1) & mask;
	return i;
}

bool NonceCache::contains(const Bucket& b, const Entry& e) {
	return !b.slots.empty() && b.slots[probe(b, e)].server != 0;
}

bool NonceCache::find_or_add(Bucket& b, const Entry& e) {
	if (b.slots.empty())
		grow(b);
	size_t i = probe(b, e);
	if (b.slots[i].server != 0)
		return true;
	if (2 * (b.count + 1) > b.slots.size()) {
		grow(b);
		i = probe(b, e);
	}
	b.slots[i] = e;
	++b.count;
	return false;
}

NonceCache::Outcome NonceCache::insert(uint64_t server_id, std::string_view nonce, int64_t timestamp,
                                       int64_t now_s) {
	Entry e;
	e.server = server_id | kUsed;
	fingerprint(nonce, e.a, e.b);
	int64_t k = floor_div(timestamp, bucket_s_);
	std::lock_guard lock(mu_);
	expire(now_s);
	if (timestamp < now_s - window_s_ || timestamp > now_s + window_s_)
		return Outcome::full; // outside what the ring covers; the window check refused it already
	Bucket& b = ring_[static_cast<size_t>(
	    ((k % static_cast<int64_t>(ring_.size())) + static_cast<int64_t>(ring_.size())) %
	    static_cast<int64_t>(ring_.size()))];
	if (b.index != k) {
		// The slot's previous bucket is expired (the ring covers every live one): start afresh.
		total_ -= b.count;
		b.count = 0;
		std::fill(b.slots.begin(), b.slots.end(), Entry{});
		b.index = k;
	}
	if (total_ >= capacity_) // full: a replay is still recognised, nothing new is remembered
		return contains(b, e) ? Outcome::replay : Outcome::full;
	if (find_or_add(b, e))
		return Outcome::replay;
	++total_;
	return Outcome::fresh;
}

size_t NonceCache::size() const {
	std::lock_guard lock(mu_);
	return total_;
}

size_t NonceCache::memory_bytes() const {
	std::lock_guard lock(mu_);
	size_t n = 0;
	for (const Bucket& b : ring_)
		n += b.slots.capacity() * sizeof(Entry);
	return n;
}

} // namespace serversan::ingest
