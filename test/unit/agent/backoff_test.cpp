// Backoff arithmetic: exponential growth with jitter, the 5-minute cap, Retry-After honoured
// (and capped), reset on success.
#include <gtest/gtest.h>

#include "serversan/agent/backoff.h"
#include "serversan/agent/server_answer.h"

using namespace serversan::agent;

TEST(Backoff, GrowsWithJitterUpToFiveMinutes) {
	for (uint64_t seed : {1u, 2u, 42u, 9999u}) {
		Backoff b(seed);
		for (unsigned n = 1; n <= 20; ++n) {
			double full = std::min(300.0, std::ldexp(1.0, static_cast<int>(n - 1)));
			double d = b.failure();
			EXPECT_GE(d, full / 2) << n;
			EXPECT_LE(d, full) << n;
		}
		EXPECT_EQ(b.failures(), 20u);
		b.success();
		EXPECT_EQ(b.failures(), 0u);
		EXPECT_LE(b.failure(), 1.0);
	}
}

TEST(Backoff, JitterSpreadsAgents) {
	Backoff a(1), b(2);
	for (int i = 0; i < 5; ++i) {
		a.failure();
		b.failure();
	}
	EXPECT_NE(a.failure(), b.failure());
}

TEST(Backoff, RetryAfterIsAFloorAndCapped) {
	Backoff b(7);
	EXPECT_EQ(b.failure(30.0), 30.0);
	EXPECT_EQ(b.failure(1e9), kMaxRetryAfterS);
	EXPECT_GE(b.failure(0.0), 2.0); // a smaller Retry-After does not shorten the back-off
}

TEST(Backoff, RetryAfterHeader) {
	int64_t now = 784111777000; // Sun, 06 Nov 1994 08:49:37 GMT
	EXPECT_EQ(retry_after_seconds("120", now), 120.0);
	EXPECT_EQ(retry_after_seconds(" 5 ", now), 5.0);
	EXPECT_EQ(retry_after_seconds("999999999", now), kMaxRetryAfterS);
	EXPECT_EQ(retry_after_seconds("Sun, 06 Nov 1994 08:50:37 GMT", now), 60.0);
	EXPECT_EQ(retry_after_seconds("Sun, 06 Nov 1994 08:48:37 GMT", now), 0.0); // in the past
	EXPECT_EQ(retry_after_seconds("", now), std::nullopt);
	EXPECT_EQ(retry_after_seconds("soon", now), std::nullopt);
	EXPECT_EQ(retry_after_seconds("-5", now), std::nullopt);
}
