// Offline as a pure function of the last report, the interval, the rule and the engine's start.
#include <gtest/gtest.h>

#include "serversan/server/alerts/offline.h"

using namespace serversan::alerts;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t T0 = 1'764'000'000'000;

TEST(Offline, SilentLongerThanTheLargestOfRuleIntervalsAndFloor) {
	EXPECT_EQ(offline_after_ms(kMin, 3), 3 * kMin);
	EXPECT_EQ(offline_after_ms(10'000, 1), 3 * kMin);    // the 3-minute floor
	EXPECT_EQ(offline_after_ms(5 * kMin, 3), 15 * kMin); // 3 intervals
	EXPECT_EQ(offline_after_ms(kMin, 15), 15 * kMin);    // the rule
	EXPECT_EQ(offline_after_ms(1000, 0.01, 2000), 3000); // a lower floor (alerts.offline_floor)
	const int64_t start = T0 - 24 * 60 * kMin;
	EXPECT_FALSE(is_offline(T0, kMin, 3, start, T0 + 3 * kMin));
	EXPECT_TRUE(is_offline(T0, kMin, 3, start, T0 + 3 * kMin + 1));
	EXPECT_FALSE(is_offline(std::nullopt, kMin, 3, start, T0 + 60 * kMin)); // never reported
}

TEST(Offline, ARestartOfTheServerGivesEveryServerItsThresholdAgain) {
	// Last reports an hour before ServerSan started (it was down): not offline at once.
	const int64_t last = T0 - 60 * kMin;
	EXPECT_FALSE(is_offline(last, kMin, 3, T0, T0 + kMin));
	EXPECT_FALSE(is_offline(last, kMin, 3, T0, T0 + 3 * kMin));
	EXPECT_TRUE(is_offline(last, kMin, 3, T0, T0 + 3 * kMin + 1));
}

} // namespace
