// The daily digest in a chat: every line kind in English and Chinese (printed as a phone shows
// them), hostile names escaped, long lists cut; and the whole path: /notify digest 9, the job at
// 09:00 in the chat's zone, the real sender against the fake Bot API, once a day, silent inside
// quiet hours.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "bot_harness.h"
#include "serversan/server/alerts/digest.h"
#include "serversan/server/bot/sender.h"
#include "serversan/server/bot/views/digest_view.h"
#include "test/fake_telegram/fake_bot_api.h"
#include "test/unit/charts/lively_report.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kNow = 1'796'547'600'000; // 2026-12-06 09:00 UTC, a Sunday

alerts::Digest sample_digest() {
	alerts::Digest d;
	d.day = "2026-12-06";
	d.at_ms = kNow;
	d.from_ms = kNow - 24 * kHour;
	d.servers = {{1, "web-01", true, kNow - kMin, 16, 84, "/data", 68},
	             {2, "db-1", false, kNow - 30 * kHour, std::nullopt, std::nullopt, "", std::nullopt},
	             {3, "new-box", false, std::nullopt, std::nullopt, std::nullopt, "", std::nullopt}};
	alerts::DigestAlert off{2,    "db-1", "offline",         "",          "critical", true,
	                        1740, 3,      kNow - 30 * kHour, std::nullopt};
	alerts::DigestAlert cpu{
	    1, "web-01", "cpu", "", "warning", true, 97.5, 90, kNow - 5 * kHour, kNow - 4 * kHour - 28 * kMin};
	alerts::DigestAlert disk{1,    "web-01", "disk",           "/",         "warning", true,
	                         91.2, 90,       kNow - 2 * kHour, std::nullopt};
	alerts::DigestAlert back{1,
	                         "web-01",
	                         "offline",
	                         "",
	                         "critical",
	                         true,
	                         12,
	                         3,
	                         kNow - 20 * kHour,
	                         kNow - 19 * kHour - 48 * kMin};
	d.alerts = {off, back, cpu, disk};
	alerts::DigestTrend full{1,
	                         "web-01",
	                         "disk",
	                         "/data",
	                         std::nullopt,
	                         100,
	                         kNow + 4 * 24 * kHour + 3 * kHour,
	                         8.0 * (1ull << 30) / 86'400};
	alerts::DigestTrend ram{1, "web-01", "ram", "", 84.2, 90, std::nullopt, std::nullopt};
	d.trends = {full, ram};
	return d;
}

} // namespace

TEST(DigestView, EveryLineInBothLanguages) {
	alerts::Digest d = sample_digest();
	std::string en = views::digest_text({Lang::en, "UTC", kNow}, d);
	std::string zh = views::digest_text({Lang::zh, "Asia/Shanghai", kNow}, d);
	std::cout << en << "\n\n" << zh << "\n";
	EXPECT_TRUE(en.starts_with("📋 <b>Daily digest</b> · Sun 6 Dec\nServers online: 1/3\n")) << en;
	// Offline first, then never reported, then the ones online.
	EXPECT_LT(en.find("db-1</b> · offline · last report"), en.find("new-box</b> · no report yet"));
	EXPECT_LT(en.find("new-box"),
	          en.find("🟢 <b>web-01</b> · CPU 16% · RAM 84% · Disk <code>/data</code> 68%"));
	EXPECT_TRUE(has(en, "🔴 <b>db-1</b> · offline since 12-05 03:00 UTC · still offline")) << en;
	EXPECT_TRUE(has(en, "✅ <b>web-01</b> · offline at 12-05 13:00 UTC · lasted 12 min")) << en;
	EXPECT_TRUE(has(en, "✅ <b>web-01</b> · CPU 97.5% at 04:00 UTC · lasted 32 min")) << en;
	EXPECT_TRUE(has(en, "🟠 <b>web-01</b> · Disk <code>/</code> 91.2% since 07:00 UTC · still firing"))
	    << en;
	EXPECT_TRUE(has(en, "<b>Heading for a threshold</b>")) << en;
	EXPECT_TRUE(has(en, "⏳ <b>web-01</b> · Disk <code>/data</code> full around Thu 10 Dec (in ~4 d 3 h)"))
	    << en;
	EXPECT_TRUE(has(en, "📈 <b>web-01</b> · RAM averaged 84.2% over 24 h · alert at 90%")) << en;
	EXPECT_TRUE(zh.starts_with("📋 <b>每日摘要</b> · 12月6日（周日）\n在线服务器：1/3")) << zh;
	EXPECT_TRUE(has(zh, "仍未恢复")) << zh;
	EXPECT_TRUE(has(zh, "24 小时平均 84.2% · 告警线 90%")) << zh;

	// A quiet day: one line for the alerts, no trends section.
	d.alerts.clear();
	d.trends.clear();
	en = views::digest_text({Lang::en, "UTC", kNow}, d);
	EXPECT_TRUE(has(en, "✅ No alerts in the last 24 h")) << en;
	EXPECT_FALSE(has(en, "Heading for")) << en;
}

// A rack that went offline and came back together is one outage line (its alert was one message);
// a server that went down at another time, or is still down, keeps its own line.
TEST(DigestView, AnOutageOfSeveralServersIsOneLine) {
	alerts::Digest d = sample_digest();
	auto offline = [](uint64_t id, std::string name, int64_t from, std::optional<int64_t> to) {
		return alerts::DigestAlert{id, std::move(name), "offline", "", "critical", true, 3, 3, from, to};
	};
	const int64_t down = kNow - 10 * kHour, up = kNow - 9 * kHour;
	d.alerts = {offline(11, "rack-1", down, up), offline(12, "rack-2", down + 40'000, up + 30'000),
	            offline(13, "rack-3", down + 70'000, up - 20'000), offline(14, "other", down + 30 * kMin, up),
	            offline(15, "still-down", down, std::nullopt)};
	for (uint64_t i = 0; i < 10; ++i) // ten more still down together
		d.alerts.push_back(offline(20 + i, fmt::format("edge-{}", i), kNow - 2 * kHour, std::nullopt));
	std::string en = views::digest_text({Lang::en, "UTC", kNow}, d);
	std::string zh = views::digest_text({Lang::zh, "UTC", kNow}, d);
	std::cout << en << "\n\n" << zh << "\n";
	EXPECT_TRUE(
	    has(en, "✅ <b>3 servers</b> offline at 12-05 23:00 UTC · lasted 1 h: rack-1, rack-2, rack-3\n"))
	    << en;
	EXPECT_TRUE(has(en, "✅ <b>other</b> · offline at 12-05 23:30 UTC · lasted 30 min")) << en;
	EXPECT_TRUE(has(en, "🔴 <b>still-down</b> · offline since 12-05 23:00 UTC · still offline")) << en;
	EXPECT_TRUE(has(en, "🔴 <b>10 servers</b> offline since 07:00 UTC · still offline: edge-0, edge-1, "
	                    "edge-2, edge-3, edge-4, edge-5, edge-6, edge-7 and 2 more"))
	    << en;
	EXPECT_FALSE(has(en, "<b>rack-2</b>")) << en;
	EXPECT_TRUE(has(zh, "✅ <b>3 台服务器</b> · 12-05 23:00 UTC 离线 · 持续了 1 小时：rack-1、rack-2、rack-3"))
	    << zh;
}

TEST(DigestView, HostileNamesAreEscapedAndLongListsCut) {
	alerts::Digest d = sample_digest();
	d.servers.clear();
	for (int i = 0; i < 40; ++i)
		d.servers.push_back(
		    {static_cast<uint64_t>(i + 1), fmt::format("<b>x{}</b>", i), true, kNow, 1, 2, "/", 3});
	std::string en = views::digest_text({Lang::en, "UTC", kNow}, d);
	EXPECT_FALSE(has(en, "<b>x1</b>")) << en;
	EXPECT_TRUE(has(en, "&lt;b&gt;x1&lt;/b&gt;")) << en;
	EXPECT_TRUE(has(en, "… and 10 more")) << en;
	EXPECT_TRUE(has(en, "Servers online: 40/40")) << en;
}

namespace {

struct DigestSend : ::testing::Test {
	BotHarness h;
	fake_telegram::FakeBotApi fake;
	std::unique_ptr<Sender> sender;
	telegram::User alice = tg_user(1001, "Alice"), li = tg_user(3003, "Li", "zh-hans"),
	               bob = tg_user(2002, "Bob");
	uint64_t web = 0, lis = 0;

	void SetUp() override {
		h.clock.set(Clock::time_point{std::chrono::milliseconds{kNow - 200 * kMin}});
		h.step = 2s;
		h.start();
		h.say(alice, private_chat(alice), "/add web-01");
		h.say(li, private_chat(li), "/add 主机");
		web = h.server_id(alice.id, "web-01");
		lis = h.server_id(li.id, "主机");
		ReportBatch b;
		b.stream = "0123456789abcdef";
		b.agent_version = "0.1.0";
		for (int i = 0; i < 180; ++i)
			b.reports.push_back(
			    serversan::testing::lively_report(static_cast<uint64_t>(i + 1), kNow - (180 - i) * kMin));
		ASSERT_TRUE(h.store->append({{web, b, kNow}, {lis, b, kNow}}).ok());
		h.clock.set(Clock::time_point{std::chrono::milliseconds{kNow - 5 * kMin}});
		for (const auto& u : {alice, li, bob})
			fake.add_chat({u.id, "private"});
		telegram::ClientOptions o;
		o.api_url = fake.base_url();
		o.token = fake.token();
		o.request_timeout = 5s;
		sender = std::make_unique<Sender>(*h.store, std::make_unique<telegram::ApiClient>(o), h.clock);
	}
	uint64_t job() {
		auto st = alerts::queue_digests(*h.store, h.clock.unix_millis());
		EXPECT_TRUE(st.ok()) << st.error().message;
		return st.ok() ? st->queued : 0;
	}
	void run() {
		for (auto t = 0ms; t <= 2s; t += 100ms) {
			(void)sender->step();
			h.clock.advance(100ms);
		}
	}
};

} // namespace

TEST_F(DigestSend, NotifyDigestNineThenOneMessageADayInTheChatsLanguage) {
	std::cout << transcript(h.say(alice, private_chat(alice), "/notify digest 9"));
	std::cout << transcript(h.say(li, private_chat(li), "/notify digest 9"));
	std::cout << transcript(h.say(bob, private_chat(bob), "/notify digest 9")); // no servers
	EXPECT_EQ(job(), 0u) << "08:55";
	h.clock.set(Clock::time_point{std::chrono::milliseconds{kNow + 2 * kMin}});
	EXPECT_EQ(job(), 2u);
	run();
	for (int i = 0; i < 6; ++i) { // the job every 5 minutes: nothing more
		h.clock.advance(5min);
		EXPECT_EQ(job(), 0u);
		run();
	}
	auto a = fake.messages(alice.id), l = fake.messages(li.id);
	ASSERT_EQ(a.size(), 1u);
	ASSERT_EQ(l.size(), 1u);
	EXPECT_TRUE(fake.messages(bob.id).empty());
	std::string en = a[0]["text"].get<std::string>(), zh = l[0]["text"].get<std::string>();
	std::cout << "→ alice\n" << en << "\n\n→ li\n" << zh << "\n";
	EXPECT_TRUE(en.starts_with("📋 Daily digest · Sun 6 Dec")) << en;
	EXPECT_TRUE(has(en, "🟢 web-01 · CPU")) << en;
	EXPECT_TRUE(has(en, "✅ No alerts in the last 24 h")) << en;
	EXPECT_FALSE(has(en, "主机")) << "only the chat's own servers";
	EXPECT_TRUE(zh.starts_with("📋 每日摘要")) << zh;
	EXPECT_FALSE(a[0].contains("disable_notification"));
}

TEST_F(DigestSend, InsideQuietHoursItGoesOutSilently) {
	h.say(alice, private_chat(alice), "/notify digest 9");
	h.say(alice, private_chat(alice), "/notify quiet 22:00-10:00");
	h.clock.set(Clock::time_point{std::chrono::milliseconds{kNow + kMin}});
	EXPECT_EQ(job(), 1u);
	run();
	auto a = fake.messages(alice.id);
	ASSERT_EQ(a.size(), 1u) << "not held until 10:00";
	EXPECT_EQ(a[0].value("disable_notification", false), true) << a[0].dump();
}
