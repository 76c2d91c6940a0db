// Alert messages: every notice kind rendered in English and Chinese (printed as a chat reads
// them), hostile names escaped; the real sender against the fake Bot API for the firing photo,
// the text fallback, the resolved reply plus the edit of the firing message, reminders as
// replies, silent warnings and a payload that does not decode; and every button under an alert
// (snooze, mute, top processes, chart), with another chat's server refused.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "bot_harness.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/alerts/engine.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/alert_group.h"
#include "serversan/server/bot/group_shared.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/sender.h"
#include "serversan/server/bot/views/alert_view.h"
#include "test/fake_telegram/fake_bot_api.h"
#include "test/unit/charts/lively_report.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;
using namespace std::chrono_literals;
using alerts::AlertMessage;
using alerts::NoticeState;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kNow = 1'764'000'000'000; // 2025-11-24 16:00 UTC

AlertMessage notice(uint64_t server, std::string name, std::string kind, NoticeState state, double value,
                    double threshold) {
	AlertMessage m;
	m.server_id = server;
	m.server_name = std::move(name);
	m.kind = std::move(kind);
	m.state = state;
	m.value = value;
	m.threshold = threshold;
	m.clear = threshold - 10;
	m.for_s = 600;
	m.started_ms = kNow - 12 * kMin;
	m.at_ms = kNow;
	m.held_s = 12 * 60;
	return m;
}

AlertMessage cpu_firing(uint64_t server, std::string name = "web-01") {
	AlertMessage m = notice(server, std::move(name), "cpu", NoticeState::firing, 96.4, 90);
	m.evidence.top = {{4242, "stress", "root", 88.0, 2'000'000}, {812, "nginx", "www-data", 6.5, 90'000'000}};
	m.evidence.top_ms = kNow - kMin;
	return m;
}

// "/" of 100 GiB with 12 GiB left at 3.2 GiB a day: full in 3 d 18 h, on Fri 28 Nov 2025.
AlertMessage disk_forecast(uint64_t server, std::string name) {
	AlertMessage m = notice(server, std::move(name), "disk", NoticeState::forecast, 88, 100);
	m.device = "/";
	m.started_ms = kNow - 24 * 60 * kMin;
	m.evidence.bytes_left = 12ull << 30;
	m.evidence.total = 100ull << 30;
	m.evidence.fill_per_s = 3.2 * (1ull << 30) / 86'400;
	m.evidence.full_ms = kNow + (3 * 24 + 18) * 60 * kMin;
	return m;
}

// Every kind and state a chat can receive.
std::vector<AlertMessage> every_notice() {
	std::vector<AlertMessage> out;
	out.push_back(cpu_firing(7));
	AlertMessage ram = notice(7, "web-01", "ram", NoticeState::firing, 93.2, 90);
	ram.evidence.top = {{77, "java", "app", std::nullopt, 6'442'450'944},
	                    {78, "mysqld", "mysql", 1.0, 1'288'490'188}};
	ram.evidence.top_ms = kNow - 2 * kMin;
	out.push_back(ram);
	AlertMessage disk = notice(7, "web-01", "disk", NoticeState::firing, 95.5, 90);
	disk.device = "/data";
	disk.severity = "critical";
	disk.evidence.bytes_left = 9'663'676'416;            // 9 GiB
	disk.evidence.total = 214'748'364'800;               // 200 GiB
	disk.evidence.fill_per_s = 9'663'676'416.0 / 36'000; // full in 10 h
	out.push_back(disk);
	AlertMessage inodes = notice(7, "web-01", "inodes", NoticeState::firing, 91, 90);
	inodes.device = "/";
	inodes.evidence.bytes_left = 120'000;
	inodes.evidence.total = 1'310'720;
	out.push_back(inodes);
	out.push_back(notice(7, "web-01", "load", NoticeState::firing, 2.6, 2));
	AlertMessage net = notice(7, "web-01", "net_in", NoticeState::firing, 130'000'000, 104'857'600);
	net.device = "eth0";
	out.push_back(net);
	AlertMessage temp = notice(7, "web-01", "temp", NoticeState::firing, 88, 85);
	temp.device = "coretemp Package id 0";
	out.push_back(temp);
	AlertMessage offline = notice(7, "web-01", "offline", NoticeState::firing, 12, 3);
	offline.severity = "critical";
	out.push_back(offline);
	AlertMessage reminder = notice(7, "web-01", "cpu", NoticeState::reminder, 95, 90);
	reminder.held_s = 4 * 3600 + 5 * 60;
	reminder.reminder = 1;
	out.push_back(reminder);
	AlertMessage off_reminder = offline;
	off_reminder.state = NoticeState::reminder;
	off_reminder.held_s = 4 * 3600;
	out.push_back(off_reminder);
	AlertMessage resolved = notice(7, "web-01", "cpu", NoticeState::resolved, 41, 90);
	resolved.held_s = 37 * 60;
	out.push_back(resolved);
	AlertMessage back = offline;
	back.state = NoticeState::resolved;
	back.held_s = 37 * 60;
	out.push_back(back);
	out.push_back(disk_forecast(7, "web-01"));
	return out;
}

store::OutboxMessage alert_row(int64_t chat, const AlertMessage& m, std::string what) {
	store::OutboxMessage row;
	row.chat_id = chat;
	row.kind = std::string(alerts::kOutboxKindAlert);
	row.payload = alerts::encode(m);
	const alerts::AlertKind* kind = alerts::find_kind(m.kind);
	row.dedupe_key = alerts::alert_dedupe_key(m.server_id, kind->metric, m.device, m.started_ms, what);
	row.created_ms = row.next_attempt_ms = kNow; // due at once
	return row;
}

} // namespace

TEST(AlertView, EveryNoticeInBothLanguages) {
	for (Lang lang : kLanguages) {
		views::ViewContext vc{lang, "Europe/Berlin", kNow};
		std::string all;
		for (const AlertMessage& m : every_notice()) {
			std::string text = views::alert_text(vc, m);
			all += text + "\n---\n";
			EXPECT_TRUE(has(text, "<b>web-01</b>")) << text;
			EXPECT_LE(html_text_length(text), 400u) << text; // a phone screen, well under a caption
		}
		std::cout << all;
		if (lang == Lang::en) {
			EXPECT_TRUE(has(
			    all, "🟠 <b>web-01</b> · CPU 96.4% for 12 min\nThreshold &gt; 90% · since 16:48 UTC+1"))
			    << all;
			EXPECT_TRUE(has(all, "88% · stress <i>4242</i>")) << all;
			EXPECT_TRUE(has(all, "6.0 GiB · java")) << all;
			EXPECT_TRUE(has(all, "🔴 <b>web-01</b> · Disk <code>/data</code> 95.5% for 12 min")) << all;
			EXPECT_TRUE(has(all, "9.0 GiB free of 200 GiB · full in ~10 h at this rate")) << all;
			EXPECT_TRUE(has(all, "Load 2.6/core for 12 min")) << all;
			EXPECT_TRUE(has(all, "is offline · no report for 12 min\nLast report 16:48 UTC+1")) << all;
			EXPECT_TRUE(has(all, "🔁 <b>web-01</b> · CPU still 95% · firing for 4 h 5 min")) << all;
			EXPECT_TRUE(has(all, "✅ <b>web-01</b> · CPU back to 41% after 37 min")) << all;
			EXPECT_TRUE(has(all, "✅ <b>web-01</b> is back online after 37 min")) << all;
			EXPECT_TRUE(has(all,
			                "⏳ <b>web-01</b> · Disk <code>/</code> will be full around Fri 28 Nov (in ~3 d "
			                "18 h)\n+3.2 GiB/day · 12.0 GiB free of 100 GiB"))
			    << all;
		} else {
			EXPECT_TRUE(has(all, "CPU 96.4%，已持续 12 分钟")) << all;
			EXPECT_TRUE(has(all, "阈值 &gt; 90% · 开始于 16:48 UTC+1")) << all;
			EXPECT_TRUE(has(all, "已回落到 41%")) << all;
			EXPECT_TRUE(has(all, "已恢复在线")) << all;
			EXPECT_TRUE(has(all, "预计 11月28日（周五）左右写满（约 3 天 18 小时后）\n每天 +3.2 GiB · 剩余 "
			                     "12.0 GiB，共 100 GiB"))
			    << all;
			EXPECT_FALSE(has(all, "for 12 min")) << all;
		}
	}
	AlertMessage firing = cpu_firing(7), resolved = every_notice()[10];
	std::string edited = views::resolved_firing_text({Lang::en, "UTC", kNow}, firing, resolved);
	std::cout << edited << "\n";
	EXPECT_TRUE(has(edited, "✅ <b>Resolved</b> 16:00 UTC · lasted 37 min")) << edited;
}

TEST(AlertView, GroupTextsInBothLanguages) {
	std::vector<views::GroupItem> outage, server;
	for (int i = 1; i <= 27; ++i) {
		AlertMessage m = notice(static_cast<uint64_t>(i), fmt::format("rack-{:02}", i), "offline",
		                        NoticeState::firing, 12, 3);
		m.severity = "critical";
		views::GroupItem item{m, std::nullopt};
		if (i <= 2) {
			item.resolved = m;
			item.resolved->state = NoticeState::resolved;
			item.resolved->held_s = 20 * 60;
		}
		outage.push_back(item);
	}
	server.push_back({cpu_firing(7), std::nullopt});
	server.push_back({notice(7, "web-01", "ram", NoticeState::firing, 93.2, 90), std::nullopt});
	server[0].resolved = notice(7, "web-01", "cpu", NoticeState::resolved, 41, 90);
	for (Lang lang : kLanguages) {
		views::ViewContext vc{lang, "Europe/Berlin", kNow};
		std::string a = views::group_firing_text(vc, outage, {{}, "10.0.3.0/24"});
		std::string b = views::group_firing_text(vc, server);
		std::cout << a << "\n\n" << b << "\n\n";
		// 27 went down, 2 are back: the head counts the 25 still down and the 2 back.
		EXPECT_TRUE(has(a, lang == Lang::en ? "25 servers offline</b> · 2 back online"
		                                    : "25 台服务器离线</b> · 2 台已恢复"))
		    << a;
		EXPECT_TRUE(has(a, "rack-25")) << a;
		EXPECT_FALSE(has(a, "rack-26")) << a; // past kGroupLines: counted
		EXPECT_TRUE(has(a, "2")) << a;
		EXPECT_TRUE(has(a, "10.0.3.0/24")) << a;
		EXPECT_TRUE(has(b, "✅")) << b;
		EXPECT_TRUE(views::group_keyboard(vc, outage).empty());
		EXPECT_EQ(views::group_keyboard(vc, server).at(0).size(), 2u);
	}
}

// integration.alerts_e2e read "✅ web1 · CPU back to 73.9%" with the CPU at 20 %: the 10-minute
// average that cleared. A recovery says the value now; if the newest sample is still past the
// threshold (the average cleared first), "back to normal" with the average named as such.
TEST(AlertView, ARecoverySaysTheValueNowNotTheWindowsAverage) {
	AlertMessage now = notice(7, "web-01", "cpu", NoticeState::resolved, 73.9, 90);
	now.held_s = 22 * 60;
	now.latest = 20;
	AlertMessage still_high = now;
	still_high.latest = 95;
	AlertMessage older = now; // an older engine's payload: only the average
	older.latest.reset();
	AlertMessage disk = notice(7, "web-01", "disk", NoticeState::resolved, 91.2, 90);
	disk.device = "/data";
	disk.latest = 70;
	for (Lang lang : kLanguages) {
		views::ViewContext vc{lang, "Europe/Berlin", kNow};
		std::string a = views::alert_text(vc, now), b = views::alert_text(vc, still_high),
		            c = views::alert_text(vc, older), d = views::alert_text(vc, disk);
		std::cout << a << "\n" << b << "\n" << c << "\n" << d << "\n\n";
		EXPECT_FALSE(has(a, "73.9")) << a;
		if (lang == Lang::en) {
			EXPECT_TRUE(has(a, "✅ <b>web-01</b> · CPU back to 20% after 22 min")) << a;
			EXPECT_TRUE(has(b, "✅ <b>web-01</b> · CPU back to normal after 22 min · 10 min average 73.9%"))
			    << b;
			EXPECT_TRUE(has(c, "CPU back to 73.9% after 22 min")) << c;
			EXPECT_TRUE(has(d, "Disk <code>/data</code> back to 70% after 12 min")) << d;
		} else {
			EXPECT_TRUE(has(a, "CPU 已回落到 20%，持续了 22 分钟")) << a;
			EXPECT_TRUE(has(b, "CPU 已恢复正常，持续了 22 分钟 · 10 分钟平均 73.9%")) << b;
			EXPECT_TRUE(has(d, "已回落到 70%")) << d;
		}
	}
}

// integration.alerts_e2e: the firing message said "Top CPU · 1 min ago" and, edited to
// "Resolved" 13 minutes later, "14 min ago". The evidence is dated by the clock instead.
TEST(AlertView, EvidenceReadsAsOfTheFiringAndNeverDrifts) {
	AlertMessage f = cpu_firing(7); // the list taken at 15:59 UTC, 16:59 in Berlin
	AlertMessage r = notice(7, "web-01", "cpu", NoticeState::resolved, 41, 90);
	for (Lang lang : kLanguages) {
		std::string head =
		    lang == Lang::en ? "<b>Top CPU</b> · 16:59 UTC+1" : "<b>CPU 占用最高</b> · 16:59 UTC+1";
		for (int64_t now : {kNow, kNow + 14 * kMin, kNow + 3 * 60 * kMin}) {
			views::ViewContext vc{lang, "Europe/Berlin", now};
			std::string text = views::alert_text(vc, f), edited = views::resolved_firing_text(vc, f, r);
			EXPECT_TRUE(has(text, head)) << text;
			EXPECT_TRUE(has(edited, head)) << edited;
			EXPECT_FALSE(has(edited, lang == Lang::en ? "ago" : "前")) << edited;
		}
	}
	AlertMessage ram = every_notice()[1];
	EXPECT_TRUE(
	    has(views::alert_text({Lang::en, "UTC", kNow + 60 * kMin}, ram), "<b>Top memory</b> · 15:58 UTC"));
}

// integration.alerts_e2e: a warning held through quiet hours arrived 50 minutes late saying "for 9
// min · since 13:10". Held, it says so and how long it has lasted when it goes out; fired and
// resolved while held, one message says both.
TEST(AlertView, HeldThroughQuietHours) {
	AlertMessage f = cpu_firing(7); // began 15:48 UTC, fired 16:00 after 12 min
	f.quiet_until_ms = kNow + 50 * kMin;
	AlertMessage off = every_notice()[7];
	off.severity = "warning";
	off.quiet_until_ms = f.quiet_until_ms;
	AlertMessage r = notice(7, "web-01", "cpu", NoticeState::resolved, 73.9, 90);
	r.held_s = 41 * 60;
	r.at_ms = r.started_ms + 41 * kMin; // 16:29 UTC
	r.latest = 20;
	AlertMessage back = off;
	back.state = NoticeState::resolved;
	back.held_s = 41 * 60;
	for (Lang lang : kLanguages) {
		views::ViewContext sent{lang, "Europe/Berlin", kNow + 50 * kMin}; // at the quiet hours' end
		std::string held = views::alert_text(sent, f), held_off = views::alert_text(sent, off);
		std::string both = views::quiet_resolved_text(sent, f, r),
		            both_off = views::quiet_resolved_text(sent, off, back);
		std::cout << held << "\n\n" << held_off << "\n\n" << both << "\n\n" << both_off << "\n\n";
		if (lang == Lang::en) {
			EXPECT_TRUE(
			    has(held, "🟠 <b>web-01</b> · CPU 96.4% for 1 h 2 min\nThreshold &gt; 90% · since 16:48 "
			              "UTC+1\n🌙 Held during quiet hours\n\n<b>Top CPU</b> · 16:59 UTC+1"))
			    << held;
			EXPECT_TRUE(has(held_off, "🟠 <b>web-01</b> is offline · no report for 1 h 2 min"))
			    << held_off;
			EXPECT_TRUE(has(held_off, "🌙 Held during quiet hours")) << held_off;
			EXPECT_TRUE(has(both, "✅ <b>web-01</b> · CPU 96.4% during quiet hours · resolved after 41 min\n"
			                      "Threshold &gt; 90% · since 16:48 UTC+1\nBack to 20% at 17:29 UTC+1"))
			    << both;
			EXPECT_TRUE(has(both_off,
			                "✅ <b>web-01</b> was offline during quiet hours · back after 41 min\nLast "
			                "report 16:48 UTC+1"))
			    << both_off;
		} else {
			EXPECT_TRUE(has(held, "CPU 96.4%，已持续 1 小时 2 分钟")) << held;
			EXPECT_TRUE(has(held, "🌙 免打扰时段内延后发送")) << held;
			EXPECT_TRUE(has(both, "在免打扰时段内达到 96.4% · 41 分钟后已恢复")) << both;
			EXPECT_TRUE(has(both, "17:29 UTC+1 回落到 20%")) << both;
			EXPECT_TRUE(has(both_off, "在免打扰时段内离线")) << both_off;
		}
		EXPECT_FALSE(has(both, "🌙")) << both; // said in the head
	}
	// Not held: its duration is the firing's, whenever it is drawn.
	f.quiet_until_ms.reset();
	EXPECT_TRUE(has(views::alert_text({Lang::en, "UTC", kNow + 50 * kMin}, f), "for 12 min"));
}

TEST(AlertView, HostileNamesAreEscaped) {
	AlertMessage m = cpu_firing(7, "<b>evil</b> & \u202Eco");
	m.evidence.top[0].name = "<script>alert(1)</script>";
	m.device = "";
	std::string text = views::alert_text({Lang::en, "UTC", kNow}, m);
	std::cout << text << "\n";
	EXPECT_FALSE(has(text, "<script>")) << text;
	EXPECT_FALSE(has(text, "<b>evil")) << text;
	EXPECT_FALSE(has(text, "\u202E")) << text;
	EXPECT_TRUE(has(text, "&lt;b&gt;evil&lt;/b&gt; &amp;")) << text;
	EXPECT_TRUE(has(text, "&lt;script&gt;")) << text;
	AlertMessage d = every_notice()[2];
	d.device = "/mnt/<i>x";
	EXPECT_TRUE(has(views::alert_text({Lang::en, "UTC", kNow}, d), "Disk <code>/mnt/&lt;i&gt;x</code>"))
	    << views::alert_text({Lang::en, "UTC", kNow}, d);
}

TEST(AlertView, ButtonDataRoundTripAndFit) {
	auto kb = views::alert_keyboard({Lang::en, "UTC", kNow}, 18'446'744'073'709'551'615ull, "net_out");
	for (const auto& row : kb)
		for (const auto& b : row) {
			EXPECT_LE(b.callback_data.size(), 64u);
			auto p = views::parse_alert_button(b.callback_data.substr(3));
			ASSERT_TRUE(p.has_value()) << b.callback_data;
			EXPECT_EQ(p->server_id, 18'446'744'073'709'551'615ull);
			EXPECT_EQ(p->kind, "net_out");
		}
	EXPECT_FALSE(views::parse_alert_button("s:7:bogus"));
	EXPECT_FALSE(views::parse_alert_button("x:7:cpu"));
	EXPECT_FALSE(views::parse_alert_button("s:0:cpu"));
	EXPECT_FALSE(views::parse_alert_button("s:-1:cpu"));
	EXPECT_FALSE(views::parse_alert_button("s:7"));
	auto off = views::alert_keyboard({Lang::en, "UTC", kNow}, 7, "offline");
	EXPECT_EQ(button({.keyboard = off}, "Top"), "");
}

namespace {

// The real sender on the harness's store, against the fake Bot API.
struct AlertSend : ::testing::Test {
	BotHarness h;
	fake_telegram::FakeBotApi fake;
	std::unique_ptr<Sender> sender;
	telegram::User alice = tg_user(1001, "Alice"), li = tg_user(3003, "Li", "zh-hans");
	uint64_t web = 0, idle = 0, lis = 0;

	void SetUp() override {
		h.clock.set(Clock::time_point{std::chrono::milliseconds{kNow - 200 * kMin}});
		h.step = 2s;
		h.start();
		h.say(alice, private_chat(alice), "/add web-01");
		h.say(alice, private_chat(alice), "/add idle");
		h.say(li, private_chat(li), "/add 主机");
		web = h.server_id(alice.id, "web-01");
		idle = h.server_id(alice.id, "idle");
		lis = h.server_id(li.id, "主机");
		ReportBatch b;
		b.stream = "0123456789abcdef";
		b.agent_version = "0.1.0";
		for (int i = 0; i < 180; ++i)
			b.reports.push_back(
			    serversan::testing::lively_report(static_cast<uint64_t>(i + 1), kNow - (180 - i) * kMin));
		ASSERT_TRUE(h.store->append({{web, b, kNow}, {lis, b, kNow}}).ok());
		h.clock.set(Clock::time_point{std::chrono::milliseconds{kNow}});
		fake.add_chat({alice.id, "private"});
		fake.add_chat({li.id, "private"});
		start_sender();
	}
	// A new sender on the same store and fake (also: a restart).
	void start_sender() {
		telegram::ClientOptions o;
		o.api_url = fake.base_url();
		o.token = fake.token();
		o.request_timeout = 5s;
		sender = std::make_unique<Sender>(*h.store, std::make_unique<telegram::ApiClient>(o), h.clock);
	}
	void queue(int64_t chat, const AlertMessage& m, std::string what) {
		// As the engine writes notices: a key already in the outbox, in any state, is skipped.
		ASSERT_TRUE(h.store->record_alerts({}, {alert_row(chat, m, std::move(what))}).ok());
	}
	void run(std::chrono::milliseconds total = 3s) {
		for (auto t = 0ms; t <= total; t += 100ms) {
			(void)sender->step();
			h.clock.advance(100ms);
		}
	}
	// A later notice of the same alert.
	static AlertMessage later(AlertMessage m, NoticeState state, int64_t held_s, double value) {
		m.state = state;
		m.held_s = held_s;
		m.value = value;
		m.at_ms = m.started_ms + held_s * 1000;
		if (state == NoticeState::reminder)
			m.reminder = 1;
		return m;
	}
	static std::string body(const nlohmann::json& m) { return m.value("caption", m.value("text", "")); }
	void print(int64_t chat) {
		for (const auto& m : fake.messages(chat)) {
			std::cout << "→ #" << m["message_id"] << (m.contains("photo") ? " [photo]" : "");
			if (m.contains("reply_to_message"))
				std::cout << " (reply to #" << m["reply_to_message"]["message_id"] << ")";
			std::cout << "\n" << body(m) << "\n";
			if (m.contains("reply_markup"))
				for (const auto& row : m["reply_markup"]["inline_keyboard"])
					for (const auto& b : row)
						std::cout << " [" << b["text"].get<std::string>() << "]";
			std::cout << "\n\n";
		}
	}
};

} // namespace

TEST_F(AlertSend, FiringPhotoThenResolvedReplyAndEditOfTheFiring) {
	AlertMessage firing = cpu_firing(web);
	queue(alice.id, firing, "firing");
	run();
	ASSERT_EQ(fake.photos().size(), 1u);
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 1u);
	EXPECT_TRUE(has(body(msgs[0]), "web-01 · CPU 96.4% for 12 min")) << body(msgs[0]);
	ASSERT_TRUE(msgs[0].contains("reply_markup"));
	EXPECT_TRUE(has(msgs[0]["reply_markup"].dump(), "al:s:" + std::to_string(web) + ":cpu"));
	int64_t firing_id = msgs[0]["message_id"].get<int64_t>();

	AlertMessage resolved = later(firing, NoticeState::resolved, 37 * 60, 41);
	resolved.evidence = {};
	queue(alice.id, resolved, "resolved");
	run();
	print(alice.id);
	msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_EQ(msgs[1]["reply_to_message"]["message_id"].get<int64_t>(), firing_id);
	EXPECT_TRUE(has(body(msgs[1]), "✅ web-01 · CPU back to 41% after 37 min")) << body(msgs[1]);
	EXPECT_TRUE(has(body(msgs[0]), "CPU 96.4% for 12 min")) << body(msgs[0]);
	EXPECT_TRUE(has(body(msgs[0]), "✅ Resolved")) << body(msgs[0]);
	EXPECT_FALSE(msgs[0].contains("reply_markup")) << msgs[0].dump();
	EXPECT_EQ(fake.calls("editMessageCaption").size(), 1u);

	// Queued again (an engine restart): neither the reply nor the edit repeats.
	queue(alice.id, resolved, "resolved");
	run();
	EXPECT_EQ(fake.messages(alice.id).size(), 2u);
	EXPECT_EQ(fake.calls("editMessageCaption").size(), 1u);
}

// Fired and resolved while held through quiet hours: one silent message with the chart, never a
// stale alert followed by its recovery; the recovery row is done with it.
TEST_F(AlertSend, AFiringThatResolvedWhileHeldIsOneSilentMessage) {
	AlertMessage firing = cpu_firing(web);
	firing.quiet_until_ms = kNow;
	AlertMessage resolved = later(firing, NoticeState::resolved, 10 * 60, 73.9);
	resolved.latest = 20;
	queue(alice.id, firing, "firing");
	queue(alice.id, resolved, "resolved");
	run();
	run();
	print(alice.id);
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 1u);
	EXPECT_TRUE(has(body(msgs[0]), "✅ web-01 · CPU 96.4% during quiet hours · resolved after 10 min"))
	    << body(msgs[0]);
	EXPECT_TRUE(has(body(msgs[0]), "Back to 20% at")) << body(msgs[0]);
	auto sends = fake.calls("sendPhoto");
	ASSERT_EQ(sends.size(), 1u);
	EXPECT_TRUE(has(sends[0].params.dump(), "disable_notification")) << sends[0].params.dump();
	auto kb = msgs[0]["reply_markup"]["inline_keyboard"];
	ASSERT_EQ(kb.size(), 1u);
	ASSERT_EQ(kb[0].size(), 1u);
	EXPECT_EQ(kb[0][0]["callback_data"], views::alert_button_data('c', web, "cpu"));
	EXPECT_TRUE(fake.calls("editMessageCaption").empty());
	EXPECT_TRUE(fake.calls("editMessageText").empty());
	auto row =
	    h.store->find_message(alerts::alert_dedupe_key(web, "cpu.busy", "", firing.started_ms, "resolved"));
	ASSERT_TRUE(row.ok() && *row);
	EXPECT_EQ((*row)->state, "sent");
}

// Held and still firing when it goes out: how long at sending; its "Resolved" edit 14 minutes
// later redraws it as it was sent (the same duration and evidence line), only adding the stamp.
TEST_F(AlertSend, AHeldFiringSaysSoAndItsResolvedEditDoesNotDrift) {
	AlertMessage firing = cpu_firing(web);
	firing.started_ms = kNow - 50 * kMin;
	firing.at_ms = kNow - 41 * kMin;
	firing.held_s = 9 * 60;
	firing.evidence.top_ms = firing.at_ms - kMin;
	firing.quiet_until_ms = kNow;
	queue(alice.id, firing, "firing");
	run();
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 1u);
	std::string as_sent = body(msgs[0]);
	EXPECT_TRUE(has(as_sent, "web-01 · CPU 96.4% for 50 min")) << as_sent;
	EXPECT_TRUE(has(as_sent, "🌙 Held during quiet hours")) << as_sent;
	EXPECT_FALSE(has(as_sent, "ago")) << as_sent;
	h.clock.advance(14min);
	AlertMessage resolved = later(firing, NoticeState::resolved, 64 * 60, 73.9);
	resolved.latest = 20;
	queue(alice.id, resolved, "resolved");
	run();
	print(alice.id);
	msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_TRUE(has(body(msgs[1]), "✅ web-01 · CPU back to 20% after 1 h 4 min")) << body(msgs[1]);
	EXPECT_TRUE(body(msgs[0]).starts_with(as_sent + "\n\n✅ Resolved")) << body(msgs[0]);
}

// A reminder held through quiet hours: how long at sending; if the alert resolved meanwhile, the
// recovery goes out in its place (no "still firing" a second before "back to").
TEST_F(AlertSend, AHeldReminderSaysHowLongAtSendingOrGivesWayToTheRecovery) {
	AlertMessage firing = cpu_firing(web);
	queue(alice.id, firing, "firing");
	run();
	AlertMessage reminder = later(firing, NoticeState::reminder, 4 * 3600, 96.4);
	reminder.quiet_until_ms = kNow;
	h.clock.advance(std::chrono::minutes(4 * 60 + 50)); // held 50 min past its 4 h
	queue(alice.id, reminder, "reminder-1");
	run();
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_TRUE(has(body(msgs[1]), "🔁 web-01 · CPU still 96.4% · firing for 5 h 2 min")) << body(msgs[1]);

	AlertMessage second = later(firing, NoticeState::reminder, 12 * 3600, 96.4);
	second.reminder = 2;
	second.quiet_until_ms = kNow;
	AlertMessage resolved = later(firing, NoticeState::resolved, 13 * 3600, 70);
	resolved.latest = 15;
	queue(alice.id, second, "reminder-2");
	queue(alice.id, resolved, "resolved");
	run();
	print(alice.id);
	msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 3u);
	EXPECT_TRUE(has(body(msgs[2]), "✅ web-01 · CPU back to 15% after 13 h")) << body(msgs[2]);
	EXPECT_EQ(msgs[2]["reply_to_message"]["message_id"], msgs[0]["message_id"]);
	EXPECT_TRUE(has(body(msgs[0]), "✅ Resolved")) << body(msgs[0]);
	EXPECT_EQ(fake.calls("editMessageCaption").size(), 1u);
}

TEST_F(AlertSend, ForecastIsATextWithTheChartButtonInTheChatsLanguage) {
	queue(alice.id, disk_forecast(web, "web-01"), "forecast");
	queue(li.id, disk_forecast(lis, "主机"), "forecast");
	run();
	print(alice.id);
	print(li.id);
	EXPECT_TRUE(fake.photos().empty());
	for (int64_t chat : {alice.id, li.id}) {
		auto msgs = fake.messages(chat);
		ASSERT_EQ(msgs.size(), 1u);
		EXPECT_TRUE(has(msgs[0].value("text", ""), chat == alice.id ? "will be full around" : "写满"))
		    << msgs[0].dump();
		auto kb = msgs[0]["reply_markup"]["inline_keyboard"];
		ASSERT_EQ(kb.size(), 1u);
		ASSERT_EQ(kb[0].size(), 1u);
		EXPECT_EQ(kb[0][0]["callback_data"],
		          views::alert_button_data('d', chat == alice.id ? web : lis, "disk"));
	}
}

TEST_F(AlertSend, NoDataMeansTextAndTheEditFallsBackToText) {
	AlertMessage firing = cpu_firing(idle, "idle");
	queue(alice.id, firing, "firing");
	run();
	EXPECT_TRUE(fake.photos().empty());
	AlertMessage resolved = later(firing, NoticeState::resolved, 20 * 60, 12);
	queue(alice.id, resolved, "resolved");
	run();
	print(alice.id);
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_TRUE(has(msgs[0].value("text", ""), "✅ Resolved")) << msgs[0].dump();
	EXPECT_FALSE(msgs[0].contains("reply_markup"));
	EXPECT_EQ(msgs[1]["reply_to_message"]["message_id"], msgs[0]["message_id"]);
}

TEST_F(AlertSend, ReminderRepliesInTheChatsLanguage) {
	AlertMessage firing = cpu_firing(lis, "主机");
	queue(li.id, firing, "firing");
	run();
	AlertMessage reminder = later(firing, NoticeState::reminder, 4 * 3600, 96.4);
	queue(li.id, reminder, "reminder-1");
	run();
	print(li.id);
	auto msgs = fake.messages(li.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_TRUE(has(body(msgs[0]), "已持续 12 分钟")) << body(msgs[0]);
	EXPECT_EQ(msgs[1]["reply_to_message"]["message_id"], msgs[0]["message_id"]);
	EXPECT_TRUE(has(body(msgs[1]), "🔁 主机 · CPU 仍为 96.4% · 已告警 4 小时")) << body(msgs[1]);
	EXPECT_TRUE(has(msgs[1]["reply_markup"].dump(), "静默 1 小时")) << msgs[1].dump();
}

// A group that chose Chinese (/language by its admins) gets its alerts in Chinese, whatever the
// language of its owner or members; without a choice a group's alerts are English.
TEST_F(AlertSend, AGroupsAlertsAreInTheGroupsLanguage) {
	const int64_t ops = -100777, plain = -100778;
	fake.add_chat({ops, "supergroup"});
	fake.add_chat({plain, "supergroup"});
	store::ChatSettings zh;
	zh.chat_id = ops;
	zh.language = "zh-hans";
	ASSERT_TRUE(h.store->put_chat_settings(zh).ok());
	queue(ops, cpu_firing(web), "firing");
	queue(plain, cpu_firing(idle, "idle"), "firing");
	run();
	print(ops);
	ASSERT_EQ(fake.messages(ops).size(), 1u);
	EXPECT_TRUE(has(body(fake.messages(ops)[0]), "已持续 12 分钟")) << body(fake.messages(ops)[0]);
	EXPECT_TRUE(has(fake.messages(ops)[0]["reply_markup"].dump(), "静默 1 小时"));
	ASSERT_EQ(fake.messages(plain).size(), 1u);
	EXPECT_TRUE(has(body(fake.messages(plain)[0]), "for 12 min")) << body(fake.messages(plain)[0]);
}

TEST(GroupShared, TheNetworkOfAnAddress) {
	EXPECT_EQ(ipv4_net24("10.0.3.17"), "10.0.3.0/24");
	EXPECT_EQ(ipv4_net24("203.0.113.255"), "203.0.113.0/24");
	for (const char* no : {"", "127.0.0.1", "169.254.1.2", "0.0.0.0", "10.0.3", "10.0.3.300", "fe80::1"})
		EXPECT_EQ(ipv4_net24(no), "") << no;
	EXPECT_EQ(ipv6_net64("2001:db8:1:2::5"), "2001:db8:1:2::/64");
	EXPECT_EQ(ipv6_net64("2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
	for (const char* no : {"", "::1", "::", "fe80::1", "::ffff:10.0.0.1", "2001:db8::g", "10.0.3.17"})
		EXPECT_EQ(ipv6_net64(no), "") << no;
}

// What a grouped outage's servers share: the tags all of them carry, else the /24 (or /64) of
// their newest reports' addresses; nothing when one of them is not known.
TEST_F(AlertSend, AGroupedOutageSaysWhatItsServersShare) {
	uint64_t seq = 500;
	auto report_from = [&](uint64_t server, std::string v4, std::string v6) {
		ReportBatch b;
		b.stream = "fedcba9876543210";
		b.agent_version = "0.1.0";
		// Each newer than the last and past the store's snapshot interval (5 min), so its
		// addresses are the server's newest.
		++seq;
		Report r = serversan::testing::lively_report(seq, kNow + static_cast<int64_t>(seq - 500) * 6 * kMin);
		r.interfaces[1].ipv4 = std::move(v4);
		r.interfaces[1].ipv6 = std::move(v6);
		b.reports.push_back(r);
		ASSERT_TRUE(h.store->append({{server, b, kNow}}).ok());
	};
	auto outage = [&](std::vector<uint64_t> ids) {
		std::vector<views::GroupItem> items;
		for (uint64_t id : ids) {
			AlertMessage m = notice(id, fmt::format("s{}", id), "offline", NoticeState::firing, 12, 3);
			items.push_back({m, std::nullopt});
		}
		return items;
	};
	h.say(alice, private_chat(alice), "/add db-2");
	uint64_t db2 = h.server_id(alice.id, "db-2");
	// idle never reported: nothing known of its network, and no tags yet.
	report_from(web, "10.0.3.17", "2001:db8:1:2::5");
	EXPECT_EQ(group_shared(*h.store, outage({web, idle})), views::GroupShared{});
	// Both in 10.0.3.0/24.
	report_from(db2, "10.0.3.99", "2001:db8:9::5");
	EXPECT_EQ(group_shared(*h.store, outage({web, db2})).subnet, "10.0.3.0/24");
	// Different /24s, one /64: the /64.
	report_from(db2, "10.0.4.99", "2001:db8:1:2:aaaa::7");
	EXPECT_EQ(group_shared(*h.store, outage({web, db2})).subnet, "2001:db8:1:2::/64");
	// A tag on all of them is said instead; a tag only some carry is not.
	ASSERT_TRUE(h.store->set_server_tags(web, {"db", "eu", "prod"}).ok());
	ASSERT_TRUE(h.store->set_server_tags(db2, {"db", "prod"}).ok());
	ASSERT_TRUE(h.store->set_server_tags(idle, {"db", "test"}).ok());
	EXPECT_EQ(group_shared(*h.store, outage({web, db2})).tags, (std::vector<std::string>{"db", "prod"}));
	EXPECT_EQ(group_shared(*h.store, outage({web, db2, idle})).tags, (std::vector<std::string>{"db"}));
	ASSERT_TRUE(h.store->set_server_tags(idle, {"test"}).ok());
	EXPECT_EQ(group_shared(*h.store, outage({web, db2, idle})), views::GroupShared{});
	// One server alone, or one server's alerts together: nothing to share.
	EXPECT_EQ(group_shared(*h.store, outage({web})), views::GroupShared{});

	// As sent: two servers down together in the chat's language.
	ASSERT_TRUE(h.store->set_server_tags(idle, {"db"}).ok());
	for (Lang lang : kLanguages) {
		views::ViewContext vc{lang, "UTC", kNow};
		std::string text = views::group_firing_text(vc, outage({web, db2, idle}),
		                                            group_shared(*h.store, outage({web, db2, idle})));
		std::cout << text << "\n\n";
		EXPECT_TRUE(has(text, lang == Lang::en ? "\n\nAll tagged #db" : "\n\n均带标签 #db")) << text;
		text = views::group_firing_text(vc, outage({web, db2}), {{}, "10.0.3.0/24"});
		EXPECT_TRUE(has(text, lang == Lang::en ? "All in 10.0.3.0/24" : "同在 10.0.3.0/24")) << text;
	}
}

TEST_F(AlertSend, SilentWarningsButCriticalRings) {
	store::ChatSettings s;
	s.chat_id = alice.id;
	s.silent_warnings = true;
	ASSERT_TRUE(h.store->put_chat_settings(s).ok());
	queue(alice.id, cpu_firing(web), "firing");
	AlertMessage critical = cpu_firing(idle, "idle");
	critical.severity = "critical";
	queue(alice.id, critical, "firing");
	run();
	auto photo = fake.calls("sendPhoto"), text = fake.calls("sendMessage");
	ASSERT_EQ(photo.size(), 1u);
	ASSERT_EQ(text.size(), 1u);
	EXPECT_TRUE(has(photo[0].params.dump(), "disable_notification")) << photo[0].params.dump();
	EXPECT_FALSE(has(text[0].params.dump(), "disable_notification")) << text[0].params.dump();
}

TEST_F(AlertSend, APayloadThatDoesNotDecodeIsGivenUpOnce) {
	store::OutboxMessage row;
	row.chat_id = alice.id;
	row.kind = std::string(alerts::kOutboxKindAlert);
	row.payload = R"({"v":1,"kind":"cpu"})";
	row.dedupe_key = "alert:broken";
	row.created_ms = row.next_attempt_ms = kNow;
	ASSERT_TRUE(h.store->enqueue_message(row).ok());
	queue(alice.id, cpu_firing(web), "firing"); // the next one still goes out
	run();
	auto dead = h.store->find_message("alert:broken");
	ASSERT_TRUE(dead.ok() && *dead);
	EXPECT_EQ((*dead)->state, "dead");
	EXPECT_TRUE(has((*dead)->last_error, "no \"server_id\"")) << (*dead)->last_error;
	EXPECT_EQ(fake.messages(alice.id).size(), 1u);
	EXPECT_EQ((*h.store->due_messages(kNow + 3'600'000, 10)).size(), 0u);
}

namespace {

struct AlertButtons : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(1001, "Alice"), bob = tg_user(2002, "Bob");
	telegram::Chat group = group_chat(-100500);
	uint64_t web = 0, shared = 0;
	std::vector<Reply> log;

	void SetUp() override {
		h.clock.set(Clock::time_point{std::chrono::milliseconds{kNow - kMin}});
		h.step = 2s;
		h.start();
		h.say(alice, private_chat(alice), "/add web-01");
		h.admins.admins.insert({group.id, alice.id});
		h.say(alice, group, "/add shared");
		web = h.server_id(alice.id, "web-01");
		shared = h.server_id(group.id, "shared");
		Report r = serversan::testing::lively_report(1, kNow - kMin);
		r.top_cpu = std::vector<ProcessEntry>{{4242, "stress", "root", 88.0, 2'000'000}};
		r.top_memory = std::vector<ProcessEntry>{{77, "java", "app", 1.0, 6'442'450'944}};
		ReportBatch b;
		b.stream = "0123456789abcdef";
		b.agent_version = "0.1.0";
		b.reports.push_back(r);
		ASSERT_TRUE(h.store->append({{web, b, kNow}}).ok());
	}
	void TearDown() override { std::cout << transcript(log); }
	std::vector<Reply> press(const telegram::User& u, const telegram::Chat& c, const std::string& data) {
		log.push_back(Reply{Reply::Kind::send, c.id, {}, {}, "← " + u.first_name + " presses " + data});
		auto r = h.press(u, c, data, 77);
		log.insert(log.end(), r.begin(), r.end());
		return r;
	}
	static const Reply* of(const std::vector<Reply>& rs, Reply::Kind k) {
		for (const Reply& r : rs)
			if (r.kind == k)
				return &r;
		return nullptr;
	}
	std::vector<store::AlertSilence> silences(int64_t chat) {
		return *h.store->silences(chat, h.clock.unix_millis());
	}
};

} // namespace

TEST_F(AlertButtons, SnoozeWritesASilenceAndShowsItOnTheMessage) {
	auto r = press(alice, private_chat(alice), views::alert_button_data('s', web, "cpu"));
	auto s = silences(alice.id);
	ASSERT_EQ(s.size(), 1u);
	EXPECT_EQ(s[0].server_id, web);
	EXPECT_EQ(s[0].kind, "cpu");
	EXPECT_EQ(s[0].until_ms, h.clock.unix_millis() + 3'600'000);
	EXPECT_EQ(s[0].created_by, alice.id);
	const Reply* toast = of(r, Reply::Kind::answer_callback);
	ASSERT_NE(toast, nullptr);
	EXPECT_TRUE(has(toast->text, "Snoozed until 16:59 UTC")) << toast->text;
	const Reply* kb = of(r, Reply::Kind::edit_keyboard);
	ASSERT_NE(kb, nullptr);
	EXPECT_EQ(kb->message_id, 77);
	EXPECT_EQ(button(*kb, "Snoozed until 16:59"), "al:i");
	EXPECT_NE(button(*kb, "Mute"), "");
	auto info = press(alice, private_chat(alice), "al:i");
	ASSERT_NE(of(info, Reply::Kind::answer_callback), nullptr);
	EXPECT_TRUE(has(of(info, Reply::Kind::answer_callback)->text, "/notify"));
}

TEST_F(AlertButtons, MuteSilencesTheServerUntilItRecovers) {
	auto r = press(alice, private_chat(alice), views::alert_button_data('m', web, "cpu"));
	auto s = silences(alice.id);
	ASSERT_EQ(s.size(), 1u);
	EXPECT_EQ(s[0].server_id, web);
	EXPECT_EQ(s[0].kind, "");
	EXPECT_FALSE(s[0].until_ms.has_value());
	ASSERT_NE(of(r, Reply::Kind::answer_callback), nullptr);
	EXPECT_TRUE(has(of(r, Reply::Kind::answer_callback)->text, "web-01 muted until it recovers"));
	ASSERT_NE(of(r, Reply::Kind::edit_keyboard), nullptr);
	EXPECT_EQ(button(*of(r, Reply::Kind::edit_keyboard), "Muted"), "al:i");
}

TEST_F(AlertButtons, MuteUnderAGroupedMessageKeepsItsOwnKeyboard) {
	auto r = press(alice, private_chat(alice), views::alert_button_data('g', web, "cpu"));
	auto s = silences(alice.id);
	ASSERT_EQ(s.size(), 1u);
	EXPECT_EQ(s[0].kind, ""); // the whole server, as Mute under one alert
	EXPECT_FALSE(s[0].until_ms.has_value());
	const Reply* kb = of(r, Reply::Kind::edit_keyboard);
	ASSERT_NE(kb, nullptr);
	EXPECT_EQ(button(*kb, "Muted"), "al:i");
	EXPECT_EQ(button(*kb, "Snooze"), ""); // one alert's buttons stay off a group
	EXPECT_EQ(button(*kb, "Top"), "");
	EXPECT_NE(button(*kb, "Chart"), "");
}

TEST_F(AlertButtons, TopProcessesAndChart) {
	auto top = press(alice, private_chat(alice), views::alert_button_data('t', web, "cpu"));
	const Reply* msg = of(top, Reply::Kind::send);
	ASSERT_NE(msg, nullptr);
	EXPECT_TRUE(has(msg->text, "<b>web-01</b> · top processes")) << msg->text;
	EXPECT_TRUE(has(msg->text, "88% · stress <i>4242</i>")) << msg->text;
	EXPECT_TRUE(has(msg->text, "6.0 GiB · java <i>77</i>")) << msg->text;
	auto chart = press(alice, private_chat(alice), views::alert_button_data('c', web, "ram"));
	const Reply* photo = of(chart, Reply::Kind::photo);
	ASSERT_NE(photo, nullptr);
	EXPECT_TRUE(has(photo->text, "RAM")) << photo->text;
	EXPECT_TRUE(has(photo->text, "6 h")) << photo->text;
	// A forecast's Chart: the disk over the day the fit saw.
	auto day = press(alice, private_chat(alice), views::alert_button_data('d', web, "disk"));
	photo = of(day, Reply::Kind::photo);
	ASSERT_NE(photo, nullptr) << transcript(day);
	std::cout << transcript(day);
	EXPECT_TRUE(has(photo->text, "24 h")) << photo->text;
}

TEST_F(AlertButtons, AnotherChatsServerIsRefusedByEveryButton) {
	for (char a : {'s', 'm', 'g', 't', 'c', 'd'}) {
		auto r = press(bob, private_chat(bob), views::alert_button_data(a, web, "cpu"));
		EXPECT_EQ(of(r, Reply::Kind::photo), nullptr);
		EXPECT_EQ(of(r, Reply::Kind::edit_keyboard), nullptr);
		ASSERT_NE(of(r, Reply::Kind::answer_callback), nullptr) << transcript(r);
		EXPECT_TRUE(has(of(r, Reply::Kind::answer_callback)->text, "not in this chat")) << transcript(r);
	}
	EXPECT_TRUE(silences(bob.id).empty());
	EXPECT_TRUE(silences(alice.id).empty());
	auto forged = press(alice, private_chat(alice), "al:s:abc:cpu");
	ASSERT_NE(of(forged, Reply::Kind::answer_callback), nullptr);
	EXPECT_TRUE(has(of(forged, Reply::Kind::answer_callback)->text, "no longer valid"));
}

TEST_F(AlertButtons, InAGroupMembersSnoozeAdminsMute) {
	auto snooze = press(bob, group, views::alert_button_data('s', shared, "disk"));
	ASSERT_EQ(silences(group.id).size(), 1u);
	EXPECT_EQ(silences(group.id)[0].created_by, bob.id);
	auto mute = press(bob, group, views::alert_button_data('m', shared, "disk"));
	EXPECT_EQ(silences(group.id).size(), 1u) << transcript(mute);
	ASSERT_NE(of(mute, Reply::Kind::answer_callback), nullptr);
	press(alice, group, views::alert_button_data('m', shared, "disk"));
	EXPECT_EQ(silences(group.id).size(), 2u);
}

// A server routed to a group (/route): the group's admins mute it there, for the group only,
// without the right to change the server; members may snooze, not mute.
TEST_F(AlertButtons, MuteFromAGroupTheServerIsRoutedTo) {
	telegram::Chat team = group_chat(-100600, "Team");
	telegram::User carol = tg_user(3003, "Carol");
	h.admins.admins.insert({team.id, carol.id});
	h.admins.admins.insert({team.id, alice.id});
	auto routed = h.say(alice, team, "/route web-01");
	ASSERT_EQ(h.store->find_server(web).value()->alert_chat, team.id) << transcript(routed);

	auto member = press(bob, team, views::alert_button_data('m', web, "cpu"));
	ASSERT_NE(of(member, Reply::Kind::answer_callback), nullptr) << transcript(member);
	EXPECT_EQ(of(member, Reply::Kind::answer_callback)->text, "Only this group's admins can do that.");
	EXPECT_TRUE(silences(team.id).empty());
	press(bob, team, views::alert_button_data('s', web, "cpu"));
	EXPECT_EQ(silences(team.id).size(), 1u);

	auto admin = press(carol, team, views::alert_button_data('m', web, "cpu"));
	ASSERT_NE(of(admin, Reply::Kind::answer_callback), nullptr) << transcript(admin);
	EXPECT_TRUE(has(of(admin, Reply::Kind::answer_callback)->text, "web-01 muted until it recovers"))
	    << transcript(admin);
	ASSERT_NE(of(admin, Reply::Kind::edit_keyboard), nullptr);
	EXPECT_EQ(button(*of(admin, Reply::Kind::edit_keyboard), "Muted"), "al:i");
	auto s = silences(team.id);
	ASSERT_EQ(s.size(), 2u);
	EXPECT_EQ(s[1].server_id, web);
	EXPECT_FALSE(s[1].until_ms.has_value());
	EXPECT_EQ(s[1].created_by, carol.id);
	EXPECT_TRUE(silences(alice.id).empty()); // the owner's own chat still hears it
	// Muting gave Carol nothing over the server itself.
	auto rename = h.say(carol, team, "/rename web-01 mine");
	EXPECT_EQ(h.store->find_server(web).value()->name, "web-01") << transcript(rename);
	// A group the server is not routed to is refused as before, admin or not.
	h.admins.admins.insert({group.id, carol.id});
	auto elsewhere = press(carol, group, views::alert_button_data('m', web, "cpu"));
	ASSERT_NE(of(elsewhere, Reply::Kind::answer_callback), nullptr);
	EXPECT_TRUE(has(of(elsewhere, Reply::Kind::answer_callback)->text, "not in this chat"));
	EXPECT_EQ(silences(group.id).size(), 0u);
}

// One rule sent to a group (/threshold SERVER KIND here): the group may look at the server as one
// the whole server is routed to (its alerts' Snooze, Top, Chart; Mute by its admins), and no more.
TEST_F(AlertButtons, ButtonsWorkInAGroupOneRuleIsSentTo) {
	telegram::Chat team = group_chat(-100600, "Team");
	auto before = press(bob, team, views::alert_button_data('s', web, "ram"));
	ASSERT_NE(of(before, Reply::Kind::answer_callback), nullptr);
	EXPECT_TRUE(has(of(before, Reply::Kind::answer_callback)->text, "not in this chat"));
	EXPECT_TRUE(silences(team.id).empty());

	auto routed = h.say(alice, team, "/threshold web-01 ram 80 here");
	EXPECT_FALSE(h.store->find_server(web).value()->alert_chat) << transcript(routed);
	auto snooze = press(bob, team, views::alert_button_data('s', web, "ram"));
	ASSERT_NE(of(snooze, Reply::Kind::answer_callback), nullptr) << transcript(snooze);
	EXPECT_TRUE(has(of(snooze, Reply::Kind::answer_callback)->text, "Snoozed until")) << transcript(snooze);
	ASSERT_EQ(silences(team.id).size(), 1u);
	EXPECT_TRUE(silences(alice.id).empty());
	// Seeing is all: Bob cannot rename it from there, nor move another of its rules.
	h.say(bob, team, "/rename web-01 mine");
	EXPECT_EQ(h.store->find_server(web).value()->name, "web-01");
	// Turned off, the rule sends nothing there: the group no longer sees the server.
	h.say(alice, private_chat(alice), "/threshold web-01 ram off");
	auto off = press(bob, team, views::alert_button_data('s', web, "ram"));
	ASSERT_NE(of(off, Reply::Kind::answer_callback), nullptr);
	EXPECT_TRUE(has(of(off, Reply::Kind::answer_callback)->text, "not in this chat"));
	// Another group is refused as before.
	auto elsewhere = press(bob, group, views::alert_button_data('s', web, "ram"));
	ASSERT_NE(of(elsewhere, Reply::Kind::answer_callback), nullptr);
	EXPECT_TRUE(has(of(elsewhere, Reply::Kind::answer_callback)->text, "not in this chat"));
	EXPECT_TRUE(silences(group.id).empty());
}

// Grouping (alert_group.h): notices of one group that come together go out as one message.
struct AlertGroups : AlertSend {
	std::vector<uint64_t> rack; // alice's ten servers in one /24

	void SetUp() override {
		AlertSend::SetUp();
		for (int i = 1; i <= 10; ++i) {
			uint64_t id =
			    h.store
			        ->create_server(alice.id, fmt::format("rack-{:02}", i), SigningKey{}, kNow - 100 * kMin)
			        .value();
			ReportBatch b;
			b.stream = "0123456789abcdef";
			b.agent_version = "0.1.0";
			Report r = serversan::testing::lively_report(1, kNow - 20 * kMin);
			r.interfaces[1].ipv4 = fmt::format("10.0.3.{}", 10 + i);
			b.reports.push_back(r);
			ASSERT_TRUE(h.store->append({{id, b, kNow}}).ok());
			rack.push_back(id);
		}
	}
	// As the engine queues it: due group_wait after the transition at at_ms.
	void queue_at(int64_t chat, const AlertMessage& m, std::string what, int64_t at_ms) {
		store::OutboxMessage row = alert_row(chat, m, std::move(what));
		row.created_ms = at_ms;
		row.next_attempt_ms = at_ms + kGroupWaitMs;
		ASSERT_TRUE(h.store->record_alerts({}, {row}).ok());
	}
	AlertMessage offline(uint64_t server, std::string name) {
		AlertMessage m = notice(server, std::move(name), "offline", NoticeState::firing, 12, 3);
		m.severity = "critical";
		return m;
	}
	// Both chats printed; Li's server, offline at the same moment, gets its usual message alone.
	auto outage_messages() {
		std::cout << "--- alice\n";
		print(alice.id);
		std::cout << "--- li\n";
		print(li.id);
		auto own = fake.messages(li.id);
		EXPECT_EQ(own.size(), 1u);
		EXPECT_TRUE(!own.empty() && has(body(own[0]), "主机 已离线")) << (own.empty() ? "" : body(own[0]));
		return fake.messages(alice.id);
	}
	std::optional<int64_t> sent_as(const AlertMessage& m, std::string_view what) {
		const alerts::AlertKind* kind = alerts::find_kind(m.kind);
		auto row = h.store->find_message(
		    alerts::alert_dedupe_key(m.server_id, kind->metric, m.device, m.started_ms, what));
		return row.ok() && *row && (*row)->state == "sent" ? (*row)->telegram_message_id : std::nullopt;
	}
};

TEST_F(AlertGroups, TenServersOfflineTogetherGiveOneMessageRemindersAndRecoveriesReplyToIt) {
	std::vector<AlertMessage> down;
	for (int i = 0; i < 10; ++i) {
		down.push_back(offline(rack[i], fmt::format("rack-{:02}", i + 1)));
		queue_at(alice.id, down.back(), "firing", kNow + i * 2'500); // within 25 s
	}
	queue_at(li.id, offline(lis, "主机"), "firing", kNow + 5'000); // another chat, same moment
	run(20s);
	EXPECT_TRUE(fake.messages(alice.id).empty()) << "sent before the group wait";
	run(20s);
	auto msgs = outage_messages();
	ASSERT_EQ(msgs.size(), 1u);
	std::string text = body(msgs[0]);
	EXPECT_TRUE(has(text, "10 servers offline")) << text;
	for (int i = 1; i <= 10; ++i)
		EXPECT_TRUE(has(text, fmt::format("rack-{:02}", i))) << text;
	EXPECT_TRUE(has(text, "All in 10.0.3.0/24")) << text;
	EXPECT_FALSE(has(text, "主机"));
	int64_t group_id = msgs[0]["message_id"].get<int64_t>();
	for (const auto& m : down)
		EXPECT_EQ(sent_as(m, "firing"), group_id);

	// Their reminders, queued by the same sweeps: one reply to the group message.
	for (int i = 0; i < 10; ++i)
		queue_at(alice.id, later(down[i], NoticeState::reminder, 4 * 3600, 12), "reminder-1",
		         h.clock.unix_millis() + (i % 2) * 15'000);
	run(50s);
	msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_EQ(msgs[1]["reply_to_message"]["message_id"].get<int64_t>(), group_id);
	EXPECT_TRUE(has(body(msgs[1]), "rack-01 is still offline")) << body(msgs[1]);
	EXPECT_TRUE(has(body(msgs[1]), "rack-10 is still offline")) << body(msgs[1]);

	// Three come back together: one reply to the group message, which shows them back.
	for (int i = 0; i < 3; ++i)
		queue_at(alice.id, later(down[i], NoticeState::resolved, 20 * 60, 20), "resolved",
		         h.clock.unix_millis() + i * 1'000);
	run(40s);
	std::cout << "--- alice, after three recoveries\n";
	print(alice.id);
	ASSERT_EQ(fake.messages(alice.id).size(), 3u);
	// The rest a little later.
	for (int i = 3; i < 10; ++i)
		queue_at(alice.id, later(down[i], NoticeState::resolved, 25 * 60, 25), "resolved",
		         h.clock.unix_millis());
	run(40s);
	std::cout << "--- alice, after the recoveries\n";
	print(alice.id);
	msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 4u);
	for (size_t n : {2u, 3u})
		EXPECT_EQ(msgs[n]["reply_to_message"]["message_id"].get<int64_t>(), group_id);
	EXPECT_TRUE(has(body(msgs[2]), "rack-01 is back online")) << body(msgs[2]);
	EXPECT_TRUE(has(body(msgs[2]), "rack-03 is back online")) << body(msgs[2]);
	EXPECT_FALSE(has(body(msgs[2]), "rack-04")) << body(msgs[2]);
	EXPECT_TRUE(has(body(msgs[3]), "rack-10 is back online")) << body(msgs[3]);
	text = body(msgs[0]);
	for (int i = 1; i <= 10; ++i)
		EXPECT_TRUE(has(text, fmt::format("✅ rack-{:02} · back online", i))) << text;
	EXPECT_TRUE(has(text, "All resolved")) << text;
	EXPECT_EQ(fake.calls("editMessageText").size(), 2u);
}

TEST_F(AlertGroups, TwoRulesOfOneServerGiveOneMessageThenAtMostOneEveryFiveMinutes) {
	AlertMessage cpu = cpu_firing(web);
	AlertMessage ram = notice(web, "web-01", "ram", NoticeState::firing, 93.2, 90);
	queue_at(alice.id, cpu, "firing", kNow);
	queue_at(alice.id, ram, "firing", kNow + 4'000);
	run(40s);
	std::cout << "--- two rules of web-01\n";
	print(alice.id);
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 1u);
	std::string text = body(msgs[0]);
	EXPECT_TRUE(has(text, "web-01 · 2 alerts")) << text;
	EXPECT_TRUE(has(text, "CPU 96.4%")) << text;
	EXPECT_TRUE(has(text, "RAM 93.2%")) << text;
	ASSERT_TRUE(msgs[0].contains("reply_markup"));
	EXPECT_TRUE(has(msgs[0]["reply_markup"].dump(), "al:g:" + std::to_string(web))) << msgs[0].dump();
	int64_t group_id = msgs[0]["message_id"].get<int64_t>();

	// A third rule fires a minute later: it waits for the group's next message, 5 min after the first.
	AlertMessage disk = notice(web, "web-01", "disk", NoticeState::firing, 95.5, 90);
	disk.device = "/data";
	int64_t first_sent = h.clock.unix_millis() - 10'000;
	queue_at(alice.id, disk, "firing", h.clock.unix_millis());
	run(120s);
	EXPECT_EQ(fake.messages(alice.id).size(), 1u);
	while (h.clock.unix_millis() < first_sent + kGroupIntervalMs + 20'000)
		run(10s);
	ASSERT_EQ(fake.messages(alice.id).size(), 2u);
	EXPECT_TRUE(has(body(fake.messages(alice.id)[1]), "Disk /data 95.5%"));

	// CPU resolves: a reply to the group message, which keeps RAM firing and its buttons.
	queue_at(alice.id, later(cpu, NoticeState::resolved, 30 * 60, 41), "resolved", h.clock.unix_millis());
	run(40s);
	std::cout << "--- after CPU resolved\n";
	print(alice.id);
	msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 3u);
	EXPECT_EQ(msgs[2]["reply_to_message"]["message_id"].get<int64_t>(), group_id);
	EXPECT_TRUE(has(body(msgs[2]), "CPU back to 41%")) << body(msgs[2]);
	text = body(msgs[0]);
	EXPECT_TRUE(has(text, "✅ CPU · resolved after 30 min")) << text;
	EXPECT_TRUE(has(text, "RAM 93.2%")) << text;
	EXPECT_TRUE(msgs[0].contains("reply_markup")) << "RAM still fires";
}

// Two alerts of one server held through quiet hours, one resolved meanwhile: one message lists
// it as resolved and the other with how long it has lasted at sending; the recovery row goes
// with it (no reply). The other's recovery later replies and redraws the group as it was sent.
TEST_F(AlertGroups, HeldTogetherWithOneResolvedMeanwhile) {
	AlertMessage cpu = cpu_firing(web), ram = notice(web, "web-01", "ram", NoticeState::firing, 93.2, 90);
	cpu.quiet_until_ms = ram.quiet_until_ms = kNow;
	ram.started_ms = kNow - 50 * kMin;
	ram.at_ms = kNow - 41 * kMin;
	ram.held_s = 9 * 60;
	AlertMessage cpu_back = later(cpu, NoticeState::resolved, 20 * 60, 75);
	cpu_back.latest = 30;
	queue_at(alice.id, cpu, "firing", kNow);
	queue_at(alice.id, ram, "firing", kNow);
	queue_at(alice.id, cpu_back, "resolved", kNow);
	run(40s);
	std::cout << "--- at the quiet hours' end\n";
	print(alice.id);
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 1u);
	std::string text = body(msgs[0]);
	EXPECT_TRUE(has(text, "✅ CPU · resolved after 20 min")) << text;
	EXPECT_TRUE(has(text, "🟠 RAM 93.2% for 50 min")) << text;
	EXPECT_TRUE(has(text, "🌙 Held during quiet hours")) << text;
	EXPECT_TRUE(msgs[0].contains("reply_markup")) << "RAM still fires";
	int64_t group_id = msgs[0]["message_id"].get<int64_t>();
	EXPECT_EQ(sent_as(cpu_back, "resolved"), group_id);

	h.clock.advance(15min);
	AlertMessage ram_back = later(ram, NoticeState::resolved, 66 * 60, 84);
	ram_back.latest = 40;
	queue_at(alice.id, ram_back, "resolved", h.clock.unix_millis());
	run(40s);
	std::cout << "--- after RAM resolved\n";
	print(alice.id);
	msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_EQ(msgs[1]["reply_to_message"]["message_id"].get<int64_t>(), group_id);
	EXPECT_TRUE(has(body(msgs[1]), "RAM back to 40% after 1 h 6 min")) << body(msgs[1]);
	text = body(msgs[0]);
	EXPECT_TRUE(has(text, "✅ CPU · resolved after 20 min")) << text;
	EXPECT_TRUE(has(text, "✅ RAM · resolved after 1 h 6 min")) << text;
	EXPECT_TRUE(has(text, "All resolved")) << text;
	EXPECT_FALSE(msgs[0].contains("reply_markup"));
}

TEST_F(AlertGroups, DifferentServersResourceAlertsStayApart) {
	queue_at(alice.id, cpu_firing(web), "firing", kNow);
	queue_at(alice.id, cpu_firing(idle, "idle"), "firing", kNow + 1'000);
	run(40s);
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_TRUE(has(body(msgs[0]), "web-01 · CPU 96.4%")) << body(msgs[0]);
	EXPECT_TRUE(has(body(msgs[1]), "idle · CPU 96.4%")) << body(msgs[1]);
}

// The whole path: the real engine's offline sweep queues a notice per silent server, the real
// sender makes one message of the chat's outage 30 s later; the other chat's server its own.
TEST_F(AlertGroups, TheEnginesOfflineSweepBecomesOneMessagePerChat) {
	alerts::Engine engine(*h.store);
	ASSERT_TRUE(engine.load(h.clock.unix_millis()).ok());
	h.clock.advance(30min);
	auto st = engine.tick(h.clock.unix_millis());
	ASSERT_TRUE(st.ok()) << st.error().message;
	EXPECT_GE(st->notices, 12u); // ten racks, web-01, 主机
	run(20s);
	EXPECT_TRUE(fake.messages(alice.id).empty()) << "the group wait";
	run(15s);
	auto msgs = outage_messages();
	ASSERT_EQ(msgs.size(), 1u);
	for (int i = 1; i <= 10; ++i)
		EXPECT_TRUE(has(body(msgs[0]), fmt::format("rack-{:02}", i))) << body(msgs[0]);
	EXPECT_TRUE(has(body(msgs[0]), "servers offline")) << body(msgs[0]);
}

// The group's members are in the store, not the sender: after a restart a recovery still
// replies to the group message and redraws it.
TEST_F(AlertGroups, ARecoveryAfterARestartStillRedrawsTheGroup) {
	AlertMessage a = offline(rack[0], "rack-01"), b = offline(rack[1], "rack-02");
	queue_at(alice.id, a, "firing", kNow);
	queue_at(alice.id, b, "firing", kNow + 1'000);
	run(40s);
	ASSERT_EQ(fake.messages(alice.id).size(), 1u);
	start_sender();
	queue_at(alice.id, later(b, NoticeState::resolved, 15 * 60, 15), "resolved", h.clock.unix_millis());
	run(40s);
	print(alice.id);
	auto msgs = fake.messages(alice.id);
	ASSERT_EQ(msgs.size(), 2u);
	EXPECT_EQ(msgs[1]["reply_to_message"]["message_id"], msgs[0]["message_id"]);
	EXPECT_TRUE(has(body(msgs[0]), "✅ rack-02 · back online after 15 min")) << body(msgs[0]);
	EXPECT_TRUE(has(body(msgs[0]), "🔴 rack-01 · no report")) << body(msgs[0]);
}
