#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/server_state.h"
#include "serversan/server/bot/views/stat_callback.h"
#include "serversan/server/bot/views/table_text.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/bot/views/units.h"

using namespace serversan::bot;
using namespace serversan::bot::views;

TEST(BotViewsUnits, BytesFromZeroToPebibytes) {
	EXPECT_EQ(format_bytes(0), "0 B");
	EXPECT_EQ(format_bytes(980), "980 B");
	EXPECT_EQ(format_bytes(1023), "1023 B");
	EXPECT_EQ(format_bytes(1024), "1.0 KiB");
	EXPECT_EQ(format_bytes(1536), "1.5 KiB");
	EXPECT_EQ(format_bytes(1024 * 1024 - 5), "1.0 MiB"); // never "1024.0 KiB"
	EXPECT_EQ(format_bytes(412876800), "394 MiB");
	EXPECT_EQ(format_bytes(8335179776.0), "7.8 GiB");
	EXPECT_EQ(format_bytes(55124508672.0), "51.3 GiB");
	EXPECT_EQ(format_bytes(2.0 * (1ull << 40)), "2.0 TiB");
	EXPECT_EQ(format_bytes(900.0 * (1ull << 40)), "900 TiB");
	EXPECT_EQ(format_bytes(5.0 * (1ull << 50)), "5.0 PiB");
	EXPECT_EQ(format_bytes(-5), "0 B");
	EXPECT_EQ(format_bytes(std::nan("")), "?");
	EXPECT_EQ(format_rate(95310.5), "93.1 KiB/s");
	EXPECT_EQ(format_rate(0), "0 B/s");
}

TEST(BotViewsUnits, CompactBytesFitTheFleetColumn) {
	EXPECT_EQ(format_bytes_compact(0), "0B");
	EXPECT_EQ(format_bytes_compact(980), "980B");
	EXPECT_EQ(format_bytes_compact(48211.9), "47K");
	EXPECT_EQ(format_bytes_compact(1.2 * (1 << 20)), "1.2M");
	EXPECT_EQ(format_bytes_compact(15.0 * (1 << 30)), "15G");
	for (double v = 1; v < 1e18; v *= 1.7)
		EXPECT_LE(format_bytes_compact(v).size(), 5u) << v;
}

TEST(BotViewsUnits, PercentagesKeepWhatMatters) {
	EXPECT_EQ(format_percent(0), "0%");
	EXPECT_EQ(format_percent(0.01), "0%"); // never "0.0%" beside "0%"
	EXPECT_EQ(format_percent(0.1), "0.1%");
	EXPECT_EQ(format_percent(9.5), "9.5%");
	EXPECT_EQ(format_percent(9.96), "10%");
	EXPECT_EQ(format_percent(39.4), "39%");
	EXPECT_EQ(format_percent(100), "100%");
	EXPECT_EQ(format_percent(100.0001), "100%");
	EXPECT_EQ(format_percent(-3), "0%");
	EXPECT_EQ(format_percent(std::numeric_limits<double>::infinity()), "?");
	EXPECT_DOUBLE_EQ(percent_of(1, 4), 25);
	EXPECT_DOUBLE_EQ(percent_of(5, 0), 0);
	EXPECT_DOUBLE_EQ(percent_of(9, 4), 100);
}

TEST(BotViewsUnits, LoadsAndCounts) {
	EXPECT_EQ(format_load(0), "0.00");
	EXPECT_EQ(format_load(0.42), "0.42");
	EXPECT_EQ(format_load(12.34), "12.3");
	EXPECT_EQ(format_load(128.4), "128");
	EXPECT_EQ(format_count(0), "0");
	EXPECT_EQ(format_count(999), "999");
	EXPECT_EQ(format_count(1000), "1,000");
	EXPECT_EQ(format_count(1234567), "1,234,567");
}

TEST(BotViewsTime, DurationsInBothLanguages) {
	EXPECT_EQ(format_duration(Lang::en, 0), "0 s");
	EXPECT_EQ(format_duration(Lang::en, 42), "42 s");
	EXPECT_EQ(format_duration(Lang::en, 300), "5 min");
	EXPECT_EQ(format_duration(Lang::en, 5 * 3600 + 12 * 60 + 9), "5 h 12 min");
	EXPECT_EQ(format_duration(Lang::en, 3 * 86400 + 4 * 3600 + 59), "3 d 4 h");
	EXPECT_EQ(format_duration(Lang::en, 10 * 86400 + 59), "10 d");
	EXPECT_EQ(format_duration(Lang::en, -5), "0 s");
	EXPECT_EQ(format_duration(Lang::zh, 3 * 86400 + 4 * 3600), "3 天 4 小时");
	EXPECT_EQ(format_duration(Lang::zh, 300), "5 分钟");
	int64_t now = 1'700'000'000'000;
	EXPECT_EQ(format_ago(Lang::en, now - 120'000, now), "2 min ago");
	EXPECT_EQ(format_ago(Lang::zh, now - 120'000, now), "2 分钟前");
	EXPECT_EQ(format_ago(Lang::en, now - 3'000, now), "just now");
	EXPECT_EQ(format_ago(Lang::en, now + 60'000, now), "just now"); // an agent clock ahead of ours
	EXPECT_EQ(format_ago(Lang::zh, now, now), "刚刚");
}

TEST(BotViewsTime, WallClockInTheReadersZone) {
	int64_t t = 1718012350000; // 2024-06-10 09:39:10 UTC
	EXPECT_EQ(format_local_time(t, "UTC"), "2024-06-10 09:39 UTC");
	EXPECT_EQ(format_local_time(t, "Asia/Shanghai"), "2024-06-10 17:39 UTC+8");
	EXPECT_EQ(format_local_time(t, "Asia/Kolkata"), "2024-06-10 15:09 UTC+5:30");
	EXPECT_EQ(format_local_time(t, "America/New_York"), "2024-06-10 05:39 UTC-4"); // summer time
	EXPECT_EQ(format_local_time(t - 150LL * 86400'000, "America/New_York"),
	          "2024-01-12 04:39 UTC-5"); // winter
	EXPECT_EQ(format_local_time(t - 10 * 3600'000, "Asia/Shanghai"), "2024-06-10 07:39 UTC+8");
	EXPECT_EQ(format_local_time(t - 10 * 3600'000, "UTC"), "2024-06-09 23:39 UTC"); // the day before
	for (const char* bad : {"", "Mars/Olympus", "../../etc/passwd", "Asia/Shanghai\n", "\xff\xfe"})
		EXPECT_EQ(format_local_time(t, bad), "2024-06-10 09:39 UTC") << bad;
	EXPECT_EQ(format_local_time(INT64_MAX, "Asia/Shanghai"),
	          "9999-12-30 08:00 UTC+8"); // clamped, then shifted
	EXPECT_EQ(format_local_time(INT64_MIN, "UTC"), "1970-01-01 00:00 UTC");
	EXPECT_TRUE(is_known_time_zone("Europe/Moscow"));
	EXPECT_FALSE(is_known_time_zone("Mars/Olympus"));
}

TEST(BotViewsText, AgentStringsAreClippedCleanedAndEscaped) {
	EXPECT_EQ(agent_text("web-01"), "web-01");
	EXPECT_EQ(agent_text("<b>x</b> & y"), "&lt;b&gt;x&lt;/b&gt; &amp; y");
	EXPECT_EQ(agent_text("ab\u202Ecd\u200Fef\u2066"), "abcdef"); // direction marks dropped
	EXPECT_EQ(agent_text(std::string("a\x01"
	                                 "b\nc",
	                                 5)),
	          "a\uFFFDb c"); // controls shown, line ends joined
	EXPECT_EQ(agent_text("abcdef", 4), "abc…");
	EXPECT_EQ(agent_text("abcd", 4), "abcd");
	EXPECT_EQ(agent_text("数据库服务器一号", 5), "数据库服…");
	std::string huge(5000, '<');
	std::string clipped = agent_text(huge);
	EXPECT_EQ(
	    clipped, std::string() + [] {
		    std::string s;
		    for (int i = 0; i < 31; ++i)
			    s += "&lt;";
		    return s;
	    }() + "…");
	EXPECT_EQ(agent_plain_text("<x>"), "<x>");
}

TEST(BotViewsText, ColumnsAlignByDisplayWidth) {
	EXPECT_EQ(display_width("RAM"), 3u);
	EXPECT_EQ(display_width("内存"), 4u);
	EXPECT_EQ(display_width("↓/s"), 3u);
	std::string cells[] = {"内存", "5%"};
	size_t widths[] = {4, 4};
	EXPECT_EQ(aligned_row(cells, widths), "内存   5%");
}

TEST(BotViewsState, OnlineOfflineNever) {
	int64_t now = 1'700'000'000'000;
	EXPECT_EQ(server_state(std::nullopt, 60.0, now), ServerState::never);
	EXPECT_EQ(server_state(now - 170'000, 60.0, now), ServerState::online);
	EXPECT_EQ(server_state(now - 181'000, 60.0, now), ServerState::offline);
	EXPECT_EQ(server_state(now - 170'000, 1.0, now), ServerState::online); // never under 3 min
	EXPECT_EQ(server_state(now - 25 * 60'000, 600.0, now), ServerState::online);
	EXPECT_EQ(server_state(now - 31 * 60'000, 600.0, now), ServerState::offline);
	EXPECT_EQ(server_state(now + 60'000, std::nullopt, now), ServerState::online);
}

TEST(BotViewsCallback, StatCallbackRoundTripsAndRejectsForgeries) {
	EXPECT_EQ(stat_callback_data(42), "st:42");
	EXPECT_EQ(parse_stat_callback("st:42"), 42u);
	EXPECT_EQ(parse_stat_callback(stat_callback_data(UINT64_MAX)), UINT64_MAX);
	EXPECT_TRUE(callback_data_fits(stat_callback_data(UINT64_MAX)));
	for (const char* bad : {"", "st:", "st:-1", "st: 1", "st:1 ", "st:0x10", "st:18446744073709551616",
	                        "sx:1", "st:1;del", "ST:1"})
		EXPECT_FALSE(parse_stat_callback(bad).has_value()) << bad;
}
