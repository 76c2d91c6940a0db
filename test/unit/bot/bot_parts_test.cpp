// The dispatcher's parts on their own: command parsing, server names, time zones, the throttle
// and dialog expiry.
#include <gtest/gtest.h>

#include "serversan/server/bot/dialogs.h"
#include "serversan/server/bot/router.h"
#include "serversan/server/bot/server_name.h"
#include "serversan/server/bot/throttle.h"
#include "serversan/server/bot/time_zone.h"

using namespace serversan::bot;

TEST(BotRouter, ParsesCommands) {
	auto c = parse_command("/Add@SanBot  web 1 ", "sanbot");
	ASSERT_TRUE(c);
	EXPECT_EQ(c->name, "add");
	EXPECT_TRUE(c->for_us);
	EXPECT_TRUE(c->named);
	EXPECT_EQ(c->rest, "web 1");
	EXPECT_FALSE(parse_command("/add", "sanbot")->named);
	EXPECT_TRUE(parse_command("/add", "sanbot")->for_us);
	c = parse_command("/add@other x", "sanbot");
	ASSERT_TRUE(c);
	EXPECT_FALSE(c->for_us);
	c = parse_command("/start\nabc", "b");
	ASSERT_TRUE(c);
	EXPECT_EQ(c->rest, "abc");
	EXPECT_FALSE(parse_command("hello", "b"));
	EXPECT_FALSE(parse_command("/", "b"));
	EXPECT_FALSE(parse_command("/a-b", "b"));
	EXPECT_FALSE(parse_command("/" + std::string(33, 'a'), "b"));
	EXPECT_EQ(split_args("  a\tb\n c  "), (std::vector<std::string>{"a", "b", "c"}));
	EXPECT_EQ(split_callback("delok:42"), (std::pair<std::string_view, std::string_view>{"delok", "42"}));
	EXPECT_EQ(split_callback("x"), (std::pair<std::string_view, std::string_view>{"x", ""}));
}

TEST(BotServerName, Rules) {
	EXPECT_EQ(trim_name("  web 1 \n"), "web 1");
	EXPECT_EQ(check_server_name("web-1"), NameProblem::none);
	EXPECT_EQ(check_server_name(""), NameProblem::empty);
	EXPECT_EQ(check_server_name(std::string(64, 'a')), NameProblem::none);
	EXPECT_EQ(check_server_name(std::string(65, 'a')), NameProblem::too_long);
	std::string cjk;
	for (int i = 0; i < 64; ++i)
		cjk += "东";
	EXPECT_EQ(check_server_name(cjk), NameProblem::none) << "characters, not bytes";
	for (std::string bad :
	     std::vector<std::string>{"a\tb", "a\nb", std::string("a\0b", 3), "a\x7f", "a\xc2\x85", "\xff",
	                              "a\xe2\x80\xae", "a\xe2\x81\xa6", "\xef\xbf\xbd"})
		EXPECT_EQ(check_server_name(bad), NameProblem::bad_characters) << bad;
}

TEST(BotTimeZone, SystemZones) {
	EXPECT_EQ(find_time_zone("Europe/Berlin"), "Europe/Berlin");
	EXPECT_EQ(find_time_zone("asia/shanghai"), "Asia/Shanghai");
	EXPECT_EQ(find_time_zone("UTC"), "UTC");
	EXPECT_EQ(find_time_zone("America/Argentina/Buenos_Aires"), "America/Argentina/Buenos_Aires");
	for (const char* bad : {"", "Europe", "Europe/", "/etc/passwd", "../etc/passwd", "Europe/../UTC",
	                        "Europe//Berlin", "zone.tab", "Mars/Base", "Europe/Berlin\n", "Europe/Berlin "})
		EXPECT_FALSE(find_time_zone(bad)) << bad;
	EXPECT_FALSE(find_time_zone(std::string(65, 'A')));
}

TEST(BotThrottle, BurstThenRateThenOneNotice) {
	Throttle t(3, 1);
	int64_t now = 1'000'000;
	for (int i = 0; i < 3; ++i)
		EXPECT_EQ(t.take(1, now), Throttle::Verdict::pass);
	EXPECT_EQ(t.take(1, now), Throttle::Verdict::notice);
	EXPECT_EQ(t.take(1, now), Throttle::Verdict::drop);
	EXPECT_EQ(t.take(2, now), Throttle::Verdict::pass) << "per user";
	EXPECT_EQ(t.take(1, now + 500), Throttle::Verdict::drop);
	EXPECT_EQ(t.take(1, now + 1000), Throttle::Verdict::pass);
	EXPECT_EQ(t.take(1, now + 1000), Throttle::Verdict::drop) << "one notice for a steady flood";
	EXPECT_EQ(t.take(1, now - 60'000), Throttle::Verdict::drop) << "a clock stepping back mints nothing";
	EXPECT_EQ(t.take(1, now + 100'000), Throttle::Verdict::pass);
	EXPECT_EQ(t.take(1, now + 100'000), Throttle::Verdict::pass);
	EXPECT_EQ(t.take(1, now + 100'000), Throttle::Verdict::pass);
	EXPECT_EQ(t.take(1, now + 100'000), Throttle::Verdict::notice) << "refilled, then a new flood";
}

TEST(BotThrottle, ForgetsQuietUsers) {
	Throttle t(2, 1);
	for (int64_t u = 0; u < 10'000; ++u)
		EXPECT_EQ(t.take(u, 0), Throttle::Verdict::pass);
	EXPECT_EQ(t.take(5, 0), Throttle::Verdict::pass);
	EXPECT_EQ(t.take(5, 0), Throttle::Verdict::notice) << "a user still limited is remembered";
}

TEST(BotDialogs, OpenExpireEnd) {
	Dialogs d;
	d.open(1, 2, "add.name", 0, 0);
	ASSERT_TRUE(d.get(1, 2, kDialogTtlMs - 1));
	EXPECT_EQ(d.get(1, 2, 1)->step, "add.name");
	EXPECT_FALSE(d.get(1, 3, 1)) << "per user";
	EXPECT_FALSE(d.get(2, 2, 1)) << "per chat";
	EXPECT_FALSE(d.get(1, 2, kDialogTtlMs));
	d.open(1, 2, "rename.name", 42, 0);
	EXPECT_TRUE(d.end(1, 2, 1));
	EXPECT_FALSE(d.end(1, 2, 1));
	for (int i = 0; i < 100; ++i)
		d.open(i, i, "x", 0, 0);
	d.open(7, 7, "x", 0, kDialogTtlMs);
	EXPECT_EQ(d.size(), 1u) << "expired dialogs are dropped";
}
