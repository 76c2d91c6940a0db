#include <random>
#include <set>

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

TEST(NonceCache, FullFailsClosed) {
	NonceCache c(2, 300);
	EXPECT_EQ(c.insert(1, "a", 1000, 1000), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.insert(1, "b", 1000, 1000), NonceCache::Outcome::fresh);
	EXPECT_EQ(c.insert(1, "c", 1000, 1000), NonceCache::Outcome::full);
	EXPECT_EQ(c.insert(1, "a", 1000, 1000), NonceCache::Outcome::replay); // still remembered
	EXPECT_EQ(c.insert(1, "c", 1000, 1302), NonceCache::Outcome::fresh);  // room after expiry
}

TEST(NonceCache, FutureTimestampCoveredUntilItLeavesTheWindow) {
	NonceCache c(10, 300);
	EXPECT_EQ(c.insert(1, "f", 1250, 1000), NonceCache::Outcome::fresh);  // signed 250 s ahead
	EXPECT_EQ(c.insert(1, "f", 1250, 1500), NonceCache::Outcome::replay); // still inside 1250 +- 300
}
