// Value and time axes: nice ticks, humane units from bytes to TiB and from 0.1 % to 100 %, and
// time labels on local hours and days in the chat's zone.
#include <gtest/gtest.h>

#include "serversan/core/zone_time.h"
#include "serversan/server/charts/scale.h"
#include "serversan/server/charts/time_axis.h"
#include "serversan/server/charts/value_axis.h"

using namespace serversan;
using namespace serversan::charts;

namespace {

constexpr double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;
constexpr int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr int64_t T0 = 1'764'000'000'000; // 2025-11-24 16:00 UTC

std::vector<std::string> labels(const std::vector<TimeTick>& ticks) {
	std::vector<std::string> out;
	for (const TimeTick& t : ticks)
		out.push_back(t.label);
	return out;
}

} // namespace

TEST(ChartsScale, NiceTicksCoverTheDataWithRoundSteps) {
	Ticks t = nice_ticks(0, 87, 5);
	EXPECT_EQ(t.lo, 0);
	EXPECT_EQ(t.hi, 100);
	EXPECT_EQ(t.step, 20);
	EXPECT_EQ(t.values.size(), 6u);
	EXPECT_EQ(nice_step(0.3), 0.5);
	EXPECT_EQ(nice_step(2.2), 2.5);
	EXPECT_EQ(nice_step(7), 10);
	EXPECT_EQ(step_decimals(20), 0);
	EXPECT_EQ(step_decimals(0.5), 1);
	EXPECT_EQ(step_decimals(0.25), 2);
	// A flat series still gets an axis.
	Ticks flat = nice_ticks(5, 5, 4);
	EXPECT_LT(flat.lo, flat.hi);
	EXPECT_LE(flat.lo, 5);
	EXPECT_GE(flat.hi, 5);
}

TEST(ChartsAxis, BytesPickOneUnitFromTheTopValue) {
	struct Case {
		double max;
		std::string top_label;
	};
	for (const Case& c : std::vector<Case>{{900, "1000 B"},
	                                       {3.2 * KiB, "4 KiB"},
	                                       {700 * MiB, "800 MiB"},
	                                       {15.6 * GiB, "20 GiB"},
	                                       {2.2 * TiB, "2.5 TiB"},
	                                       {0, "5 B"}}) {
		ValueAxis a = value_axis(Unit::bytes, 0, c.max, 5);
		ASSERT_FALSE(a.labels.empty());
		EXPECT_EQ(a.labels.front(), a.labels.front().substr(0, 1) + a.suffix) << c.max;
		EXPECT_EQ(a.labels.back(), c.top_label) << c.max;
		EXPECT_GE(a.ticks.hi, c.max);
		EXPECT_EQ(a.ticks.lo, 0);
	}
	ValueAxis rate = value_axis(Unit::bytes_per_s, 0, 1.5 * MiB, 4);
	EXPECT_EQ(rate.labels.back(), "1.5 MiB/s");
	EXPECT_EQ(rate.labels[1], "0.5 MiB/s");
	EXPECT_EQ(rate.labels.front(), "0 MiB/s");
}

TEST(ChartsAxis, PercentFromATenthToTheWholeScale) {
	ValueAxis tiny = value_axis(Unit::percent, 0, 0.1, 4);
	EXPECT_EQ(tiny.labels.back(), "0.1%");
	EXPECT_EQ(tiny.labels.front(), "0%");
	EXPECT_EQ(tiny.labels[1], "0.025%");
	ValueAxis small = value_axis(Unit::percent, 0, 7.3, 5);
	EXPECT_EQ(small.labels.back(), "8%");
	ValueAxis half = value_axis(Unit::percent, 0, 51, 5);
	EXPECT_EQ(half.labels.back(), "100%");
	// Stacked shares can add up to a hair over 100: the axis still ends at 100.
	ValueAxis over = value_axis(Unit::percent, 0, 100.4, 5);
	EXPECT_EQ(over.labels.back(), "100%");
	EXPECT_EQ(over.ticks.hi, 100);
}

TEST(ChartsAxis, TemperatureStartsNearItsLowestValue) {
	ValueAxis a = value_axis(Unit::celsius, 41, 58, 5);
	EXPECT_EQ(a.labels.front(), "30 °C");
	EXPECT_GE(a.ticks.hi, 58);
	EXPECT_EQ(format_value(Unit::celsius, 48.4), "48 °C");
	EXPECT_EQ(format_value(Unit::bytes_per_s, 1536), "1.5 KiB/s");
	EXPECT_EQ(format_value(Unit::percent, 0.12), "0.1%");
	EXPECT_EQ(format_value(Unit::plain, 0.42), "0.42");
}

TEST(ChartsTime, HourTicksInTheChatsZone) {
	// The last hour up to 16:07 UTC: ticks every 10 minutes at :10, :20 ... in UTC.
	int64_t to = T0 + 7 * kMin, from = to - kHour;
	auto utc = labels(time_ticks(from, to, "UTC", 8));
	EXPECT_EQ(utc, (std::vector<std::string>{"15:10", "15:20", "15:30", "15:40", "15:50", "16:00"}));
	// Kathmandu is UTC+5:45: the ticks fall on its own round minutes, not on UTC's.
	auto ktm = labels(time_ticks(from, to, "Asia/Kathmandu", 8));
	// (UTC's round ten minutes would read 20:55, 21:05... there.)
	EXPECT_EQ(ktm.front(), "21:00");
	for (const std::string& l : ktm)
		EXPECT_EQ(l.back(), '0') << l;
	EXPECT_EQ(zone_label("Asia/Kathmandu", T0), "UTC+5:45");
	EXPECT_EQ(zone_label("Nowhere/Atlantis", T0), "UTC");
}

TEST(ChartsTime, DayTicksAtLocalMidnight) {
	// 24 hours in Shanghai (UTC+8) up to 05:00 on Nov 25: 3-hour ticks, the day change labelled
	// by its date.
	int64_t to = T0 + 5 * kHour, from = to - kDay;
	auto ticks = time_ticks(from, to, "Asia/Shanghai", 9);
	ASSERT_FALSE(ticks.empty());
	bool saw_midnight = false;
	for (const TimeTick& t : ticks) {
		LocalTime lt = local_time(t.ms, "Asia/Shanghai");
		EXPECT_EQ(lt.minute, 0);
		EXPECT_EQ(lt.hour % 3, 0) << t.label;
		if (t.day) {
			saw_midnight = true;
			EXPECT_EQ(t.label, "Nov 25");
		}
	}
	EXPECT_TRUE(saw_midnight);
	// 7 and 30 days: labels are dates at local midnight (weeks start on Monday).
	auto week = time_ticks(T0 - 7 * kDay, T0, "Asia/Shanghai", 8);
	ASSERT_GE(week.size(), 6u);
	for (const TimeTick& t : week) {
		EXPECT_TRUE(t.day);
		EXPECT_EQ(local_time(t.ms, "Asia/Shanghai").hour, 0);
	}
	auto month = time_ticks(T0 - 30 * kDay, T0, "Europe/Berlin", 8);
	ASSERT_GE(month.size(), 4u);
	for (const TimeTick& t : month)
		EXPECT_EQ(local_time(t.ms, "Europe/Berlin").weekday, 1u) << t.label; // Monday
	// Dates in the reader's language: the pattern and month names from the catalogue; a month
	// without a name keeps the English one.
	DateWords zh;
	zh.pattern = "{month}{day}日";
	for (int i = 0; i < 12; ++i)
		zh.months[static_cast<size_t>(i)] = std::to_string(i + 1) + "月";
	auto zh_week = time_ticks(T0 - 7 * kDay, T0, "Asia/Shanghai", 8, zh);
	ASSERT_EQ(zh_week.size(), week.size());
	for (size_t i = 0; i < week.size(); ++i) {
		LocalTime lt = local_time(week[i].ms, "Asia/Shanghai");
		EXPECT_EQ(zh_week[i].label, std::to_string(lt.month) + "月" + std::to_string(lt.day) + "日");
		EXPECT_EQ(week[i].label.find("月"), std::string::npos) << week[i].label; // English by default
	}
	DateWords half;
	half.pattern = "{day}. {month}";
	auto de = time_ticks(T0 - 7 * kDay, T0, "Europe/Berlin", 8, half);
	ASSERT_FALSE(de.empty());
	EXPECT_NE(de[0].label.find(". "), std::string::npos) << de[0].label;
}
