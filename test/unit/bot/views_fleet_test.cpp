#include <iostream>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/fleet_view.h"
#include "serversan/server/bot/views/stat_callback.h"
#include "views_fixture.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::views;
using bot::testing::context;
using bot::testing::example_server;
using bot::testing::well_formed_html;

namespace {

// web-01 reporting, db-02 quiet for 12 minutes, new-box never reported, hot-03 at 97 % CPU.
std::vector<ServerStatus> small_fleet() {
	std::vector<ServerStatus> fleet;
	fleet.push_back(example_server(1, "web-01"));
	ServerStatus offline = example_server(2, "db-02");
	*offline.server.last_seen_ms -= 12 * 60'000;
	offline.latest->report.time_ms = *offline.server.last_seen_ms;
	fleet.push_back(offline);
	ServerStatus never = example_server(3, "new-box");
	never.server.last_seen_ms.reset();
	never.server.host.reset();
	never.latest.reset();
	fleet.push_back(never);
	ServerStatus hot = example_server(4, "hot-03");
	hot.latest->report.cpu.total.idle = 3;
	fleet.push_back(hot);
	return fleet;
}

} // namespace

TEST(BotFleetView, OneBlockPerServerWithTheWorstFirst) {
	auto msgs = fleet_view(context(Lang::en), small_fleet());
	ASSERT_EQ(msgs.size(), 1u);
	const std::string& t = msgs[0].text;
	EXPECT_TRUE(well_formed_html(t));
	EXPECT_EQ(t, "<b>2/4 online · 1 offline · 1 waiting</b>\n"
	             "<code> CPU  RAM DISK LOAD   ↓/s   ↑/s</code>\n"
	             "🔴 <b>db-02</b> · offline 12 min\n"
	             "🟠 <b>hot-03</b>\n"
	             "<code> 97%  39%  29% 0.61   93K  393K</code>\n"
	             "🟢 <b>web-01</b>\n"
	             "<code> 40%  39%  29% 0.61   93K  393K</code>\n"
	             "⚪ <b>new-box</b> · no report yet");
	// One button per server, in the same order, each opening that server.
	std::vector<std::string> data;
	for (const auto& row : msgs[0].keyboard)
		for (const auto& b : row)
			data.push_back(b.callback_data);
	EXPECT_EQ(data, (std::vector<std::string>{"st:2", "st:4", "st:1", "st:3"}));
	EXPECT_EQ(msgs[0].keyboard[0][0].text, "🔴 db-02");
}

TEST(BotFleetView, ChineseHeaderStaysAligned) {
	auto msgs = fleet_view(context(Lang::zh), small_fleet());
	ASSERT_EQ(msgs.size(), 1u);
	EXPECT_NE(msgs[0].text.find("<b>在线 2/4 · 离线 1 · 待接入 1</b>"), std::string::npos) << msgs[0].text;
	EXPECT_NE(msgs[0].text.find("<code> CPU 内存 磁盘 负载   ↓/s   ↑/s</code>"), std::string::npos)
	    << msgs[0].text;
	EXPECT_NE(msgs[0].text.find("🔴 <b>db-02</b> · 已离线 12 分钟"), std::string::npos);
}

TEST(BotFleetView, PrintedForReadingOnAPhone) {
	for (Lang lang : kLanguages) {
		auto msgs = fleet_view(context(lang, "Asia/Shanghai"), small_fleet());
		std::cout << "----- fleet view (" << language_tag(lang) << ") -----\n"
		          << msgs[0].text << "\n[buttons]";
		for (const auto& row : msgs[0].keyboard) {
			std::cout << "\n";
			for (const auto& b : row)
				std::cout << " [" << b.text << "]";
		}
		std::cout << "\n";
		ASSERT_EQ(msgs.size(), 1u);
		EXPECT_TRUE(well_formed_html(msgs[0].text));
		size_t buttons = 0;
		for (const auto& row : msgs[0].keyboard)
			buttons += row.size();
		EXPECT_EQ(buttons, small_fleet().size());
	}
}

TEST(BotFleetView, AChatWithoutServersIsToldHowToAddOne) {
	auto en = fleet_view(context(Lang::en), {});
	ASSERT_EQ(en.size(), 1u);
	EXPECT_EQ(en[0].text, "You have no servers yet. Add one with /add.");
	EXPECT_TRUE(en[0].keyboard.empty());
	EXPECT_EQ(fleet_view(context(Lang::zh), {})[0].text, "还没有服务器，用 /add 添加一台。");
}

TEST(BotFleetView, ThreeHundredHostileServersSplitIntoValidMessages) {
	std::vector<ServerStatus> fleet;
	for (uint64_t i = 1; i <= 300; ++i) {
		std::string name =
		    i % 3 == 0   ? fmt::format("<script>alert({})</script>&amp;\u202E{}", i, std::string(5000, 'x'))
		    : i % 3 == 1 ? fmt::format("srv-{:03}\x01\x1b[31m\u200F", i)
		                 : fmt::format("服务器{:03}", i);
		ServerStatus s = example_server(i, name);
		if (i % 7 == 0)
			s.latest.reset(), s.server.last_seen_ms.reset();
		fleet.push_back(std::move(s));
	}
	for (Lang lang : kLanguages) {
		auto msgs = fleet_view(context(lang), fleet);
		EXPECT_GE(msgs.size(), 300 / kFleetServersPerMessage);
		std::map<std::string, int> seen;
		for (const auto& m : msgs) {
			EXPECT_LE(html_text_length(m.text), kMaxMessageUnits);
			EXPECT_TRUE(well_formed_html(m.text));
			EXPECT_EQ(m.text.find("<script"), std::string::npos);
			EXPECT_EQ(m.text.find("\u202E"), std::string::npos);
			EXPECT_EQ(m.text.find('\x1b'), std::string::npos);
			size_t buttons = 0;
			for (const auto& row : m.keyboard) {
				EXPECT_LE(row.size(), 2u);
				for (const auto& b : row) {
					++buttons;
					EXPECT_TRUE(callback_data_fits(b.callback_data));
					EXPECT_LE(b.text.size(), 64u);
					++seen[b.callback_data];
				}
			}
			EXPECT_LE(buttons, kFleetServersPerMessage);
		}
		EXPECT_EQ(seen.size(), 300u);
		for (const auto& [data, n] : seen)
			EXPECT_EQ(n, 1) << data;
		EXPECT_NE(msgs.back().text.find(fmt::format("{}/{}", msgs.size(), msgs.size())), std::string::npos);
	}
}
