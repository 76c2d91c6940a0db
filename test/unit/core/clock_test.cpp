#include <gtest/gtest.h>

#include "serversan/core/clock.h"

using namespace serversan;
using namespace std::chrono_literals;

TEST(Clock, ManualClockMovesOnlyWhenTold) {
	ManualClock c;
	auto t0 = c.now();
	EXPECT_EQ(c.now(), t0);
	c.advance(90min);
	EXPECT_EQ(c.now() - t0, 90min);
	EXPECT_EQ(c.unix_seconds(), 1'764'000'000 + 5400);
	c.set(Clock::time_point{std::chrono::milliseconds{1'500}});
	EXPECT_EQ(c.unix_millis(), 1500);
	EXPECT_EQ(c.unix_seconds(), 1);
}

TEST(Clock, SystemClockIsNow) {
	const Clock& c = SystemClock::instance();
	auto before = std::chrono::system_clock::now();
	auto t = c.now();
	EXPECT_LE(before, t);
	EXPECT_GT(c.unix_seconds(), 1'700'000'000);
}
