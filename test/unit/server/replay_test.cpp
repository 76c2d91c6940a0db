#include <map>
#include <random>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/core/seq_window.h"
#include "serversan/server/ingest/nonce_cache.h"

using namespace serversan;
using serversan::ingest::NonceCache;

TEST(SeqWindow, AcceptsInOrderAndRejectsRepeats) {
	SeqWindow w;
	EXPECT_EQ(w.admit(1), SeqVerdict::accept);
	EXPECT_EQ(w.admit(2), SeqVerdict::accept);
	EXPECT_EQ(w.admit(2), SeqVerdict::duplicate);
	EXPECT_EQ(w.admit(1), SeqVerdict::duplicate);
	EXPECT_EQ(w.admit(0), SeqVerdict::stale);
}

TEST(SeqWindow, OutOfOrderInsideWindowAndStaleBelowIt) {
	SeqWindow w;
	EXPECT_EQ(w.admit(100), SeqVerdict::accept);
	EXPECT_EQ(w.admit(40), SeqVerdict::accept); // 60 below: inside the 64-wide window
	EXPECT_EQ(w.admit(40), SeqVerdict::duplicate);
	EXPECT_EQ(w.admit(37), SeqVerdict::accept);  // offset 63: last slot
	EXPECT_EQ(w.admit(36), SeqVerdict::stale);   // offset 64
	EXPECT_EQ(w.admit(200), SeqVerdict::accept); // jump past the window clears it
	EXPECT_EQ(w.admit(199), SeqVerdict::accept);
	EXPECT_EQ(w.admit(100), SeqVerdict::stale);
}

// Any schedule of deliveries (duplicates, reordering within the window) stores each sequence
// number at most once, and every in-order first delivery is stored.
TEST(SeqWindow, RandomSchedulesStoreEachSeqOnce) {
	std::mt19937_64 rng(42);
	for (int round = 0; round < 2000; ++round) {
		SeqWindow w;
		std::multiset<uint64_t> stored;
		uint64_t next = 1;
		for (int i = 0; i < 200; ++i) {
			uint64_t seq;
			if (rng() % 3 == 0 && next > 1)
				seq = next - 1 - rng() % std::min<uint64_t>(next - 1, 80); // a retry or late one
			else
				seq = next++;
			if (w.admit(seq) == SeqVerdict::accept)
				stored.insert(seq);
		}
		for (uint64_t s = 1; s < next; ++s)
			ASSERT_EQ(stored.count(s), 1u) << "round " << round << " seq " << s;
	}
}

TEST(NonceCache, ReplayInsideWindowThenExpiry) {
	NonceCache c(100, 300);
	EXPECT_EQ(c.insert(1, "aa", 1000, 1000), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.insert(1, "aa", 1000, 1200), NonceCache::Outcome::replay);
	EXPECT_EQ(c.insert(2, "aa", 1000, 1200), NonceCache::Outcome::fresh); // other server
	// After the window the timestamp alone refuses the request; the entry may go.
	EXPECT_EQ(c.insert(3, "bb", 2000, 2000), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.size(), 1u);
}

TEST(NonceCache, EveryDigitOfAProtocolNonceCounts) {
	NonceCache c(100, 300);
	std::string n = "0123456789abcdef0123456789abcdef";
	EXPECT_EQ(c.insert(1, n, 1000, 1000), NonceCache::Outcome::fresh);
	for (size_t i = 0; i < n.size(); ++i) {
		std::string other = n;
		other[i] = other[i] == 'f' ? 'e' : 'f';
		EXPECT_EQ(c.insert(1, other, 1000, 1000), NonceCache::Outcome::fresh) << i;
	}
	EXPECT_EQ(c.insert(1, n, 1000, 1000), NonceCache::Outcome::replay);
	EXPECT_EQ(c.insert(1, n.substr(0, 31), 1000, 1000), NonceCache::Outcome::fresh); // a prefix is another
	EXPECT_EQ(c.size(), 34u);
}

TEST(NonceCache, FullFailsClosed) {
	NonceCache c(2, 300);
	EXPECT_EQ(c.insert(1, "a", 1000, 1000), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.insert(1, "b", 1000, 1000), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.insert(1, "c", 1000, 1000), NonceCache::Outcome::full);
	EXPECT_EQ(c.insert(1, "a", 1000, 1000), NonceCache::Outcome::replay); // still remembered
	// Room once the entries' timestamp has left the window (1000 + 300 is the last second in it).
	EXPECT_EQ(c.insert(1, "c", 1300, 1300), NonceCache::Outcome::full);
	EXPECT_EQ(c.insert(1, "c", 1301, 1301), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.size(), 1u);
}

// Issue 18: the same nonce signed again with another timestamp is the same nonce. Every offset
// of the second timestamp from the first, while the first is still inside the window (checked at
// the second's earliest and latest possible server time), is refused.
TEST(NonceCache, ReuseWithAnotherTimestampIsRefusedWhileTheFirstIsInTheWindow) {
	const int64_t t = 1'764'000'000, w = 300;
	for (int64_t d : {-290, -150, -20, -5, 0, 1, 9, 10, 11, 20, 150, 290}) {
		// The second request's timestamp t + d must pass the window check at now2, and the first
		// (t) must still be inside it: now2 <= t + w.
		for (int64_t now2 : {t + std::max<int64_t>(d, 0), std::min(t + w, t + w + d)}) {
			NonceCache c(100, w);
			std::string n = "00112233445566778899aabbccddeeff";
			ASSERT_EQ(c.insert(7, n, t, t), NonceCache::Outcome::fresh);
			EXPECT_EQ(c.insert(7, n, t + d, now2), NonceCache::Outcome::replay)
			    << "offset " << d << " at " << now2 - t;
			EXPECT_EQ(c.insert(8, n, t + d, now2), NonceCache::Outcome::fresh) << "another server " << d;
		}
	}
}

TEST(NonceCache, ANonceMayComeBackOnceTheFirstRequestLeftTheWindow) {
	const int64_t t = 1'764'000'000, w = 300;
	NonceCache c(100, w);
	std::string n = "00112233445566778899aabbccddeeff";
	ASSERT_EQ(c.insert(7, n, t, t), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.insert(7, n, t + w, t + w), NonceCache::Outcome::replay);
	// At t + w + 1 the first request fails the window check by itself.
	EXPECT_EQ(c.insert(7, n, t + w + 1, t + w + 1), NonceCache::Outcome::fresh);
	// Now the second one is remembered, until its own timestamp leaves the window.
	EXPECT_EQ(c.insert(7, n, t + 2, t + w + 1), NonceCache::Outcome::replay);
	EXPECT_EQ(c.insert(7, n, t + 2 * w + 1, t + 2 * w + 1), NonceCache::Outcome::replay);
	EXPECT_EQ(c.insert(7, n, t + 2 * w + 2, t + 2 * w + 2), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.size(), 1u);
}

TEST(NonceCache, MemoryIsGivenBackAfterExpiry) {
	NonceCache c(1'000'000, 300);
	const size_t idle = c.memory_bytes();
	for (uint64_t i = 0; i < 200'000; ++i)
		ASSERT_EQ(c.insert(i % 7 + 1, fmt::format("{:032x}", i * 0x9e3779b97f4a7c15ull), 1000, 1000),
		          NonceCache::Outcome::fresh);
	EXPECT_GE(c.memory_bytes(), 200'000u * 24 * 2);
	// Later traffic, light: one insert per shard sweeps every shard once.
	for (uint64_t i = 0; i < NonceCache::kShards; ++i)
		ASSERT_EQ(c.insert(9, fmt::format("{:032x}", i), 2000, 2000), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.size(), NonceCache::kShards);
	EXPECT_LE(c.memory_bytes(), idle + NonceCache::kShards * 16 * 24 * 2 + 200'000u * 24 / 8);
}

// Against a plain map of (server, nonce) -> the expiry of the request that was accepted, under
// random traffic that reuses nonces at random offsets: the cache answers as the rule says.
TEST(NonceCache, AgreesWithAPlainMapUnderRandomReuse) {
	const int64_t w = 30;
	NonceCache c(1'000'000, w);
	std::map<std::pair<uint64_t, std::string>, int64_t> model;
	std::mt19937_64 rng(18);
	int64_t now = 5'000;
	size_t replays = 0;
	for (int i = 0; i < 100'000; ++i) {
		if (rng() % 64 == 0)
			now += static_cast<int64_t>(rng() % 4);
		uint64_t server = rng() % 3 + 1;
		std::string nonce = fmt::format("{:032x}", rng() % 20'000);
		int64_t ts = now - w + static_cast<int64_t>(rng() % (2 * w + 1));
		auto key = std::make_pair(server, nonce);
		auto it = model.find(key);
		bool live = it != model.end() && it->second >= now;
		auto got = c.insert(server, nonce, ts, now);
		ASSERT_EQ(got, live ? NonceCache::Outcome::replay : NonceCache::Outcome::fresh) << i;
		if (!live)
			model[key] = ts + w;
		replays += live;
	}
	size_t expect_live = 0;
	for (const auto& [k, exp] : model)
		expect_live += exp >= now;
	EXPECT_EQ(c.size(), expect_live);
	EXPECT_GT(replays, 1'000u);
}

TEST(NonceCache, FutureTimestampCoveredUntilItLeavesTheWindow) {
	NonceCache c(10, 300);
	EXPECT_EQ(c.insert(1, "f", 1250, 1000), NonceCache::Outcome::fresh);  // signed 250 s ahead
	EXPECT_EQ(c.insert(1, "f", 1250, 1500), NonceCache::Outcome::replay); // still inside 1250 +- 300
}

namespace {
std::string hex_nonce(uint64_t i) {
	return fmt::format("{:016x}{:016x}", i * 0x9e3779b97f4a7c15ull, i);
}
} // namespace

TEST(NonceCache, TablesGrowAndEveryEntryStaysFindable) {
	NonceCache c(1'000'000, 300);
	for (uint64_t i = 0; i < 200'000; ++i)
		ASSERT_EQ(c.insert(i % 7 + 1, hex_nonce(i), 1000, 1000), NonceCache::Outcome::fresh) << i;
	EXPECT_EQ(c.size(), 200'000u);
	for (uint64_t i = 0; i < 200'000; ++i)
		ASSERT_EQ(c.insert(i % 7 + 1, hex_nonce(i), 1000, 1100), NonceCache::Outcome::replay) << i;
	// The same nonce for another server is another entry.
	EXPECT_EQ(c.insert(99, hex_nonce(5), 1000, 1100), NonceCache::Outcome::fresh);
	// 24-byte entries, tables at most half full.
	EXPECT_GE(c.memory_bytes(), 200'001u * 24 * 2);
	EXPECT_LE(c.memory_bytes(), 200'001u * 24 * 4 + 64 * 1024 * 24);
}

TEST(NonceCache, SustainedTrafficKeepsOneWindowAndCatchesReplaysInIt) {
	// 500 requests/s for 20 simulated minutes, window 300 s: the cache holds one window's worth
	// (plus one 10 s bucket), is never full at that capacity, and refuses a replay of any request
	// whose timestamp is still inside the window.
	const int64_t rate = 500, window = 300;
	NonceCache c(static_cast<size_t>(rate * (window + 10)), window);
	uint64_t n = 0;
	size_t biggest = 0;
	for (int64_t t = 10'000; t < 10'000 + 1200; ++t) {
		for (int64_t k = 0; k < rate; ++k) {
			// Agents' clocks differ a little: timestamps within 5 s of the server's.
			int64_t ts = t - 5 + static_cast<int64_t>(n % 11);
			ASSERT_EQ(c.insert(n % 1000 + 1, hex_nonce(n), ts, t), NonceCache::Outcome::fresh) << n;
			++n;
		}
		biggest = std::max(biggest, c.size());
		// A request from 290 s ago replayed now is still caught.
		if (t >= 10'000 + 300) {
			uint64_t old = n - static_cast<uint64_t>(rate * 290);
			int64_t sent = 10'000 + static_cast<int64_t>(old) / rate; // with its original timestamp
			int64_t ts = sent - 5 + static_cast<int64_t>(old % 11);
			ASSERT_EQ(c.insert(old % 1000 + 1, hex_nonce(old), ts, t), NonceCache::Outcome::replay) << t;
		}
	}
	EXPECT_LE(biggest, static_cast<size_t>(rate * (window + 10 + 6)));
	EXPECT_GE(biggest, static_cast<size_t>(rate * window));
}

TEST(NonceCache, ATimestampOutsideTheWindowIsNotRemembered) {
	NonceCache c(100, 300);
	EXPECT_EQ(c.insert(1, "x", 1000, 1400), NonceCache::Outcome::full); // the window check refuses it first
	EXPECT_EQ(c.insert(1, "x", 1800, 1400), NonceCache::Outcome::full);
	EXPECT_EQ(c.insert(1, "x", 1700, 1400), NonceCache::Outcome::fresh); // the edge is inside
	EXPECT_EQ(c.size(), 1u);
	EXPECT_EQ(c.insert(1, "y", -5, 0), NonceCache::Outcome::fresh); // and time before 1970 works
}
