// The values /notify accepts when typed.
#include <gtest/gtest.h>

#include "serversan/server/bot/commands/notify_parse.h"

using namespace serversan::bot::commands;

TEST(NotifyParse, OnOff) {
	EXPECT_EQ(parse_on_off("ON"), true);
	EXPECT_EQ(parse_on_off("off"), false);
	EXPECT_FALSE(parse_on_off("yes"));
	EXPECT_FALSE(parse_on_off(""));
}

TEST(NotifyParse, ClockAndSpan) {
	EXPECT_EQ(parse_clock("23:00"), 1380);
	EXPECT_EQ(parse_clock("7"), 420);
	EXPECT_EQ(parse_clock("07:05"), 425);
	for (const char* bad : {"24", "7:5", "07:60", "-1", "7h", "", "123", "07:000", "٧"})
		EXPECT_FALSE(parse_clock(bad)) << bad;
	EXPECT_EQ(parse_span("23:00-07:00"), (std::pair{1380, 420}));
	EXPECT_EQ(parse_span(" 22:30 - 6 "), (std::pair{1350, 360}));
	EXPECT_EQ(parse_span("23:00–07:00"), (std::pair{1380, 420})); // en dash, as the screen shows it
	EXPECT_EQ(parse_span("0-6"), (std::pair{0, 360}));
	for (const char* bad : {"7-7", "23:00", "23:00-", "-07:00", "23:00-07:00-08:00", "a-b", "25-7"})
		EXPECT_FALSE(parse_span(bad)) << bad;
}

TEST(NotifyParse, IntervalsWithinTheirBounds) {
	EXPECT_EQ(parse_interval("4h"), 4 * 3600);
	EXPECT_EQ(parse_interval("30m"), 1800);
	EXPECT_EQ(parse_interval("1h30m"), 5400);
	EXPECT_EQ(parse_interval("2D"), 2 * 86400);
	EXPECT_EQ(parse_interval("10m"), kMinReminderS);
	EXPECT_EQ(parse_interval("7d"), kMaxReminderS);
	for (const char* bad : {"9m", "8d", "4", "h", "4x", "4h30", "", "99999h", "-4h", "0m"})
		EXPECT_FALSE(parse_interval(bad)) << bad;
}

TEST(NotifyParse, WholeHours) {
	EXPECT_EQ(parse_hour("9"), 9);
	EXPECT_EQ(parse_hour("09:00"), 9);
	EXPECT_EQ(parse_hour("0"), 0);
	EXPECT_EQ(parse_hour("23"), 23);
	for (const char* bad : {"9:30", "24", "x", ""})
		EXPECT_FALSE(parse_hour(bad)) << bad;
}
