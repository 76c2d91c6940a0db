// The disk-full fit (forecast.h) on synthetic series: a steady fill gives the right date, a flat
// or emptying disk none, a cleanup restarts the history, too little history is no guess.
#include <algorithm>
#include <cmath>
#include <functional>

#include <gtest/gtest.h>

#include "serversan/server/alerts/forecast.h"

using namespace serversan::alerts;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr int64_t kT0 = 1'764'000'000'000;

// 24 h of 5-minute points; used(i) in bytes; a small wobble so nothing is exactly linear.
std::vector<UsedPoint> day_of(const std::function<double(int)>& used) {
	std::vector<UsedPoint> p;
	for (int i = 0; i < 288; ++i)
		p.push_back({kT0 + i * 5 * kMin, used(i) + ((i % 3) - 1) * 0.01 * kGiB});
	return p;
}

} // namespace

TEST(ForecastTest, SteadyFillGivesTheDateWithinAnHour) {
	// 100 GiB disk, 60 GiB used at the start, +4 GiB a day: 36 GiB left after the day -> 9 days...
	// use 8 GiB a day: 60 + 8 = 68 GiB at the end, 32 GiB left -> 4 days after the last point.
	auto p = day_of([](int i) { return 60 * kGiB + 8 * kGiB * i / 288.0; });
	auto f = forecast_full(p, 100 * kGiB);
	ASSERT_TRUE(f);
	int64_t last = p.back().ts_ms;
	double expect_ms = (100 * kGiB - p.back().used) / (8 * kGiB) * static_cast<double>(kDay);
	EXPECT_NEAR(static_cast<double>(f->full_ms - last), expect_ms, static_cast<double>(kHour));
	EXPECT_NEAR(f->fill_per_s * 86'400 / kGiB, 8.0, 0.1);
	EXPECT_EQ(f->points, 288u);
	EXPECT_EQ(f->from_ms, kT0);
}

TEST(ForecastTest, GapsDoNotBendTheLine) {
	auto p = day_of([](int i) { return 60 * kGiB + 8 * kGiB * i / 288.0; });
	std::vector<UsedPoint> holed;
	for (size_t i = 0; i < p.size(); ++i)
		if (!(i > 50 && i < 150) && i % 4 != 1) // a 8-hour outage and one point in four lost
			holed.push_back(p[i]);
	auto f = forecast_full(holed, 100 * kGiB);
	ASSERT_TRUE(f);
	EXPECT_NEAR(f->fill_per_s * 86'400 / kGiB, 8.0, 0.1);
}

TEST(ForecastTest, FlatOrEmptyingOrSlowIsNone) {
	EXPECT_FALSE(forecast_full(day_of([](int) { return 60 * kGiB; }), 100 * kGiB));
	EXPECT_FALSE(forecast_full(day_of([](int i) { return 60 * kGiB - 2 * kGiB * i / 288.0; }), 100 * kGiB));
	// +4 GiB a day with 36 GiB left: 9 days, past the 7-day horizon.
	EXPECT_FALSE(forecast_full(day_of([](int i) { return 60 * kGiB + 4 * kGiB * i / 288.0; }), 100 * kGiB));
}

TEST(ForecastTest, ACleanupRestartsTheHistory) {
	// Fast fill, a 20 GiB cleanup 4 h ago, flat since: the old slope must not count, and 4 h
	// after the cleanup is too little history for a new one.
	auto p = day_of([](int i) { return i < 240 ? 60 * kGiB + 20 * kGiB * i / 240.0 : 60 * kGiB; });
	EXPECT_FALSE(forecast_full(p, 100 * kGiB));
	// Cleanup 16 h ago, then a fill of 12 GiB a day: the post-cleanup rate, not the average.
	p = day_of([](int i) {
		return i < 96 ? 80 * kGiB + 10 * kGiB * i / 96.0 : 50 * kGiB + 12 * kGiB * (i - 96) / 288.0;
	});
	auto f = forecast_full(p, 100 * kGiB);
	ASSERT_TRUE(f);
	EXPECT_EQ(f->from_ms, kT0 + 96 * 5 * kMin);
	EXPECT_NEAR(f->fill_per_s * 86'400 / kGiB, 12.0, 0.2);
}

TEST(ForecastTest, TooFewPointsOrTooShortIsNone) {
	auto p = day_of([](int i) { return 60 * kGiB + 30 * kGiB * i / 288.0; });
	std::vector<UsedPoint> few(p.begin(), p.begin() + 11);
	EXPECT_FALSE(forecast_full(few, 100 * kGiB));
	std::vector<UsedPoint> short_span(p.end() - 60, p.end()); // 5 hours
	EXPECT_FALSE(forecast_full(short_span, 100 * kGiB));
	std::vector<UsedPoint> spread;
	for (size_t i = 0; i < p.size(); i += 24) // 12 points over 22 hours: enough
		spread.push_back(p[i]);
	EXPECT_TRUE(forecast_full(spread, 100 * kGiB));
	EXPECT_FALSE(forecast_full({}, 100 * kGiB));
	EXPECT_FALSE(forecast_full(p, 0));
}

TEST(ForecastTest, UnsortedInputIsSorted) {
	auto p = day_of([](int i) { return 60 * kGiB + 8 * kGiB * i / 288.0; });
	auto sorted = forecast_full(p, 100 * kGiB);
	std::reverse(p.begin(), p.end());
	auto f = forecast_full(p, 100 * kGiB);
	ASSERT_TRUE(f && sorted);
	EXPECT_EQ(f->full_ms, sorted->full_ms);
}
