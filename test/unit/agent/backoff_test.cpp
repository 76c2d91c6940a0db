// Backoff on a simulated clock: short outages are caught up within 10 s, long ones back off to
// the 5-minute cap, jitter spreads a fleet that lost the server together, Retry-After is a floor
// (capped), and a success ends the outage.
#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "serversan/agent/backoff.h"
#include "serversan/agent/server_answer.h"

using namespace serversan::agent;

namespace {

using TimePoint = Backoff::TimePoint;
const TimePoint kStart = TimePoint{} + std::chrono::hours(1);

TimePoint at(double s) {
	return kStart + std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(s));
}

} // namespace

TEST(Backoff, ShortOutagesAreCaughtUpWithinTenSeconds) {
	for (double outage : {30.0, 120.0, 300.0}) {
		double worst = 0;
		for (uint64_t seed = 1; seed <= 2000; ++seed)
			worst = std::max(worst, outage_attempts(seed, outage).back() - outage);
		EXPECT_LE(worst, kShortOutageBackoffS) << outage;
		EXPECT_GT(worst, kShortOutageBackoffS / 2) << outage; // the jitter uses the whole range
	}
}

TEST(Backoff, EveryDelayIsBetweenATenthOfTheCeilingAndTheCeiling) {
	for (uint64_t seed : {1u, 2u, 42u, 9999u}) {
		std::vector<double> t = outage_attempts(seed, 6 * 3600.0);
		for (size_t i = 1; i < t.size(); ++i) {
			double gap = t[i] - t[i - 1];
			EXPECT_GE(gap, Backoff::ceiling(t[i - 1]) / 10) << i;
			EXPECT_LE(gap, Backoff::ceiling(t[i - 1]) + 1e-6) << "at " << t[i - 1] << " s";
		}
	}
}

TEST(Backoff, LongOutagesBackOffToFiveMinutes) {
	EXPECT_EQ(Backoff::ceiling(0), 10.0);
	EXPECT_EQ(Backoff::ceiling(300), 10.0);
	EXPECT_EQ(Backoff::ceiling(600), 20.0);
	EXPECT_EQ(Backoff::ceiling(1800), 60.0);
	EXPECT_EQ(Backoff::ceiling(9000), 300.0);
	EXPECT_EQ(Backoff::ceiling(1e9), 300.0);

	for (uint64_t seed : {1u, 2u, 42u, 9999u}) {
		std::vector<double> t = outage_attempts(seed, 6 * 3600.0);
		// In the sixth hour: a handful of attempts, most of them close to the cap.
		auto hour6 = std::find_if(t.begin(), t.end(), [](double s) { return s >= 5 * 3600.0; });
		auto count = std::distance(hour6, t.end());
		EXPECT_LE(count, 36) << seed;
		EXPECT_GE(count, 12) << seed;
		double longest = 0;
		for (auto i = hour6 + 1; i < t.end(); ++i)
			longest = std::max(longest, *i - *(i - 1));
		EXPECT_GT(longest, 0.9 * kMaxBackoffS) << seed;
	}
}

TEST(Backoff, JitterSpreadsAFleetThatLostTheServerTogether) {
	// 1000 agents fail at the same instant (the worst case) and the server returns 2 minutes later.
	std::vector<double> returns;
	for (uint64_t seed = 1; seed <= 1000; ++seed)
		returns.push_back(outage_attempts(seed, 120).back() - 120);
	std::vector<int> per_second(static_cast<size_t>(kShortOutageBackoffS), 0);
	for (double r : returns) {
		ASSERT_LE(r, kShortOutageBackoffS);
		++per_second[std::min(per_second.size() - 1, static_cast<size_t>(r))];
	}
	// Evenly spread they would be about 1000 / 7.3 s (the mean delay) = 137 in each of the first
	// seconds, fewer towards 10 s; aligned they would all be in one.
	for (size_t s = 0; s < per_second.size(); ++s) {
		EXPECT_LE(per_second[s], 200) << "second " << s;
		EXPECT_GE(per_second[s], 10) << "second " << s;
	}
}

TEST(Backoff, RetryAfterIsAFloorAndCapped) {
	Backoff b(7);
	EXPECT_EQ(b.failure(at(0), 30.0), 30.0);
	EXPECT_EQ(b.failure(at(30), 1e9), kMaxRetryAfterS);
	EXPECT_GE(b.failure(at(3630), 0.0), kFirstBackoffS); // a smaller Retry-After does not shorten it
	EXPECT_EQ(b.failures(), 3u);
}

TEST(Backoff, SuccessEndsTheOutage) {
	Backoff b(3);
	double t = 0;
	while (t < 4 * 3600)
		t += b.failure(at(t));
	b.success();
	EXPECT_EQ(b.failures(), 0u);
	// A new outage starts young: the first retry after at most 3 s, then at most 10 s apart.
	EXPECT_LE(b.failure(at(t)), 3 * kFirstBackoffS);
	for (int i = 0; i < 20; ++i)
		EXPECT_LE(b.failure(at(t + i)), kShortOutageBackoffS);
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
