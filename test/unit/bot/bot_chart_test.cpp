// /chart through the dispatcher: a photo with its caption and buttons, switching chart, range
// and theme in place (editMessageMedia), the /stat view's Chart button, a server without data,
// and another chat's server refused by every path.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "bot_harness.h"
#include "serversan/server/bot/views/chart_callback.h"
#include "test/unit/charts/lively_report.h"
#include "test/unit/charts/png_reader.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

constexpr int64_t kMin = 60'000;

struct ChartBot : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(1001, "Alice"), bob = tg_user(2002, "Bob"),
	               li = tg_user(3003, "Li", "zh-hans");
	uint64_t web = 0, bobs = 0;
	int64_t now = 1'764'000'000'000;
	ReportBatch reports;

	void SetUp() override {
		h.clock.set(Clock::time_point{std::chrono::milliseconds{now}});
		h.step = std::chrono::milliseconds(2000); // stay under the throttle
		h.start();
		h.say(alice, private_chat(alice), "/add web-01");
		h.say(alice, private_chat(alice), "/add idle");
		h.say(bob, private_chat(bob), "/add bobs-box");
		web = h.server_id(alice.id, "web-01");
		bobs = h.server_id(bob.id, "bobs-box");
		ASSERT_NE(web, 0u);
		ASSERT_NE(bobs, 0u);
		// Three hours of reports up to now.
		ReportBatch& b = reports;
		b.stream = "0123456789abcdef";
		b.agent_version = "0.1.0";
		for (int i = 0; i < 180; ++i)
			b.reports.push_back(
			    serversan::testing::lively_report(static_cast<uint64_t>(i + 1), now - (180 - i) * kMin));
		ASSERT_TRUE(h.store->append({{web, b, now}}).ok());
		ASSERT_TRUE(h.store->append({{bobs, b, now}}).ok());
	}

	static void expect_photo(const Reply& r, int width = 1280, int height = 720) {
		serversan::testing::DecodedPng png(r.png);
		ASSERT_TRUE(png.ok());
		EXPECT_EQ(png.width(), width);
		EXPECT_EQ(png.height(), height);
	}
	static void expect_buttons_fit(const Reply& r) {
		ASSERT_TRUE(r.keyboard.has_value());
		for (const auto& row : *r.keyboard)
			for (const auto& b : row)
				EXPECT_LE(b.callback_data.size(), 64u) << b.callback_data;
	}
};

const Reply* find_kind(const std::vector<Reply>& rs, Reply::Kind k) {
	for (const Reply& r : rs)
		if (r.kind == k)
			return &r;
	return nullptr;
}

} // namespace

TEST_F(ChartBot, TypedChartThenSwitchInPlace) {
	auto first = h.say(alice, private_chat(alice), "/chart web-01");
	std::cout << transcript(first);
	const Reply* photo = find_kind(first, Reply::Kind::photo);
	ASSERT_NE(photo, nullptr) << transcript(first);
	expect_photo(*photo);
	expect_buttons_fit(*photo);
	EXPECT_TRUE(has(photo->text, "<b>web-01</b> · CPU · 24 h"));
	EXPECT_TRUE(has(photo->text, "user: min "));
	EXPECT_TRUE(has(photo->text, "%"));
	EXPECT_EQ(button(*photo, "• CPU"), "cv:" + std::to_string(web) + ":cpu:24h:l");

	// Another range: the same message's photo is replaced.
	std::string week = button(*photo, "7 d");
	ASSERT_EQ(week, "cv:" + std::to_string(web) + ":cpu:7d:l");
	auto switched = h.press(alice, private_chat(alice), week, 555);
	std::cout << transcript(switched);
	const Reply* edit = find_kind(switched, Reply::Kind::edit_photo);
	ASSERT_NE(edit, nullptr) << transcript(switched);
	EXPECT_EQ(edit->message_id, 555);
	expect_photo(*edit);
	EXPECT_TRUE(has(edit->text, "7 d"));
	EXPECT_NE(find_kind(switched, Reply::Kind::answer_callback), nullptr);
	EXPECT_EQ(button(*edit, "• 7 d"), week);

	// Another chart and the dark theme, in place too.
	auto net = h.press(alice, private_chat(alice), button(*edit, "Net"), 555);
	const Reply* net_edit = find_kind(net, Reply::Kind::edit_photo);
	ASSERT_NE(net_edit, nullptr);
	EXPECT_TRUE(has(net_edit->text, "in: min ")) << net_edit->text;
	EXPECT_TRUE(has(net_edit->text, "/s")) << net_edit->text;
	auto dark = h.press(alice, private_chat(alice), button(*net_edit, "Dark"), 555);
	const Reply* dark_edit = find_kind(dark, Reply::Kind::edit_photo);
	ASSERT_NE(dark_edit, nullptr);
	EXPECT_FALSE(button(*dark_edit, "Light").empty());
	std::cout << transcript(dark);

	// Chart and range typed after the name.
	auto typed = h.say(alice, private_chat(alice), "/chart web-01 mem 1h");
	const Reply* mem = find_kind(typed, Reply::Kind::photo);
	ASSERT_NE(mem, nullptr) << transcript(typed);
	EXPECT_TRUE(has(mem->text, "RAM · 1 h")) << mem->text;
}

TEST_F(ChartBot, PickAServerThenTheStatViewsChartButton) {
	auto ask = h.say(alice, private_chat(alice), "/chart");
	std::cout << transcript(ask);
	ASSERT_EQ(ask.size(), 1u);
	EXPECT_TRUE(has(ask[0].text, "Chart of which server?"));
	std::string pick = button(ask[0], "web-01");
	ASSERT_EQ(pick, "ch:" + std::to_string(web));
	auto chart = h.press(alice, private_chat(alice), pick, 600);
	const Reply* photo = find_kind(chart, Reply::Kind::photo);
	ASSERT_NE(photo, nullptr) << transcript(chart);

	auto stat = h.say(alice, private_chat(alice), "/stat web-01");
	ASSERT_FALSE(stat.empty());
	std::string chart_button = button(stat.back(), "Chart");
	EXPECT_EQ(chart_button, "ch:" + std::to_string(web)) << transcript(stat);
	// From a text message the chart comes as a new photo message below it.
	auto from_stat = h.press(alice, private_chat(alice), chart_button, 700);
	EXPECT_NE(find_kind(from_stat, Reply::Kind::photo), nullptr) << transcript(from_stat);
	EXPECT_EQ(find_kind(from_stat, Reply::Kind::edit_photo), nullptr);
}

TEST_F(ChartBot, AServerWithoutReportsGetsTheNoDataPicture) {
	auto r = h.say(alice, private_chat(alice), "/chart idle");
	std::cout << transcript(r);
	const Reply* photo = find_kind(r, Reply::Kind::photo);
	ASSERT_NE(photo, nullptr);
	expect_photo(*photo);
	EXPECT_TRUE(has(photo->text, "No data in this range yet."));
	// In Chinese.
	h.say(li, private_chat(li), "/add 主机");
	auto zh = h.say(li, private_chat(li), "/chart 主机 net 7d");
	std::cout << transcript(zh);
	const Reply* zh_photo = find_kind(zh, Reply::Kind::photo);
	ASSERT_NE(zh_photo, nullptr) << transcript(zh);
	EXPECT_TRUE(has(zh_photo->text, "<b>主机</b> · 网络 · 7 天")) << zh_photo->text;
	EXPECT_TRUE(has(zh_photo->text, "这个时间段还没有数据。"));
	// With data: the layers' names in the caption (and the picture) are Chinese too.
	ASSERT_TRUE(h.store->append({{h.server_id(li.id, "主机"), reports, now}}).ok());
	auto cpu = h.say(li, private_chat(li), "/chart 主机 cpu 6h");
	std::cout << transcript(cpu);
	const Reply* cpu_photo = find_kind(cpu, Reply::Kind::photo);
	ASSERT_NE(cpu_photo, nullptr) << transcript(cpu);
	EXPECT_TRUE(has(cpu_photo->text, "用户：最低 ")) << cpu_photo->text;
	if (const char* dir = std::getenv("SERVERSAN_CHART_DIR"))
		std::ofstream(std::string(dir) + "/bot_zh_cpu.png", std::ios::binary) << cpu_photo->png;
}

TEST_F(ChartBot, AnotherChatsServerIsRefusedByEveryPath) {
	std::string id = std::to_string(bobs);
	for (const std::vector<Reply>& rs : {h.say(alice, private_chat(alice), "/chart " + id),
	                                     h.say(alice, private_chat(alice), "/chart bobs-box"),
	                                     h.press(alice, private_chat(alice), "ch:" + id),
	                                     h.press(alice, private_chat(alice), "cv:" + id + ":cpu:24h:l"),
	                                     h.press(alice, private_chat(alice), "cv:" + id + ":cpu:24h:x"),
	                                     h.press(alice, private_chat(alice), "cv:" + id + ":cpu")}) {
		EXPECT_EQ(find_kind(rs, Reply::Kind::photo), nullptr) << transcript(rs);
		EXPECT_EQ(find_kind(rs, Reply::Kind::edit_photo), nullptr) << transcript(rs);
		EXPECT_FALSE(has(transcript(rs), "bobs-box")) << transcript(rs);
	}
	// Bob sees his own.
	auto own = h.say(bob, private_chat(bob), "/chart bobs-box");
	EXPECT_NE(find_kind(own, Reply::Kind::photo), nullptr) << transcript(own);
}

TEST(ChartCallback, DataRoundTripsAndRejectsStrangers) {
	views::ChartView v{18446744073709551615ull, charts::ChartKind::temp, charts::ChartRange::d30,
	                   charts::Theme::dark};
	std::string data = views::chart_view_data(v);
	EXPECT_LE(data.size(), 64u);
	EXPECT_EQ(data, "cv:18446744073709551615:temp:30d:d");
	auto back = views::parse_chart_view(data.substr(3));
	ASSERT_TRUE(back.has_value());
	EXPECT_EQ(*back, v);
	v.device = views::kMaxChartDevices;
	data = views::chart_view_data(v);
	EXPECT_LE(data.size(), 64u);
	EXPECT_EQ(data, "cv:18446744073709551615:temp:30d:d:9999");
	EXPECT_EQ(views::parse_chart_view(data.substr(3)), v);
	for (const char* bad :
	     {"", "1", "1:cpu:24h", "1:cpu:24h:l:x", "0:cpu:24h:l", "-1:cpu:24h:l", "1:gpu:24h:l", "1:cpu:2h:l",
	      "1:cpu:24h:", "x1:cpu:24h:l", "18446744073709551616:cpu:24h:l", "1:cpu:24h:l:0",
	      "1:cpu:24h:l:10000", "1:cpu:24h:l:2:3", "1:cpu:24h:l:"})
		EXPECT_FALSE(views::parse_chart_view(bad).has_value()) << bad;
}

// One filesystem, interface, disk or sensor alone: a button per device under the kinds, by
// number in the data; the caption names it; another kind starts at "All" again.
TEST_F(ChartBot, ADeviceOfTheKindAloneByItsButton) {
	auto first = h.say(alice, private_chat(alice), "/chart web-01 disk");
	const Reply* photo = find_kind(first, Reply::Kind::photo);
	ASSERT_NE(photo, nullptr) << transcript(first);
	std::string id = std::to_string(web);
	EXPECT_EQ(button(*photo, "• All"), "cv:" + id + ":disk:24h:l");
	std::string second = button(*photo, "/srv/data");
	ASSERT_EQ(second, "cv:" + id + ":disk:24h:l:2") << transcript(first);
	auto one = h.press(alice, private_chat(alice), second, 555);
	std::cout << transcript(one);
	const Reply* edit = find_kind(one, Reply::Kind::edit_photo);
	ASSERT_NE(edit, nullptr) << transcript(one);
	expect_photo(*edit);
	expect_buttons_fit(*edit);
	EXPECT_TRUE(has(edit->text, "Disk /srv/data · 24 h")) << edit->text;
	EXPECT_EQ(button(*edit, "• /srv/data"), second);
	// Another range keeps the device; another kind starts at "All" (its own devices).
	EXPECT_EQ(button(*edit, "7 d"), "cv:" + id + ":disk:7d:l:2");
	EXPECT_EQ(button(*edit, "Temp"), "cv:" + id + ":temp:24h:l");
	// A number past the devices (one gone since the button was drawn) draws the whole server.
	auto gone = h.press(alice, private_chat(alice), "cv:" + id + ":disk:24h:l:9", 555);
	const Reply* all = find_kind(gone, Reply::Kind::edit_photo);
	ASSERT_NE(all, nullptr) << transcript(gone);
	EXPECT_TRUE(has(all->text, "Disk · 24 h")) << all->text;
	// CPU has no devices: no device row.
	auto cpu = h.press(alice, private_chat(alice), button(*edit, "CPU"), 555);
	const Reply* cpu_edit = find_kind(cpu, Reply::Kind::edit_photo);
	ASSERT_NE(cpu_edit, nullptr);
	EXPECT_TRUE(button(*cpu_edit, "• All").empty());
	// Another chat's server by a forged device button: refused like every other path.
	auto forged = h.press(alice, private_chat(alice), "cv:" + std::to_string(bobs) + ":disk:24h:l:1", 556);
	EXPECT_EQ(find_kind(forged, Reply::Kind::edit_photo), nullptr) << transcript(forged);
}
