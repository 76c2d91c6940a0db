#include <iostream>

#include <gtest/gtest.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/server_view.h"
#include "serversan/server/bot/views/stat_callback.h"
#include "views_fixture.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::views;
using bot::testing::context;
using bot::testing::example_server;
using bot::testing::well_formed_html;

namespace {

bool has(const std::string& text, std::string_view part) {
	return text.find(part) != std::string::npos;
}

} // namespace

TEST(BotServerView, EverySectionOfTheExampleReport) {
	std::string t = server_view(context(Lang::en, "Asia/Shanghai"), example_server());
	EXPECT_TRUE(well_formed_html(t));
	for (std::string_view part : {
	         "🟢 <b>web-01</b>",
	         "Debian GNU/Linux 12 · x86_64 · kvm",
	         "Kernel 6.1.0-21-amd64",
	         "Host web-01 · 10.0.0.12 · 2001:db8::12",
	         "Up 10 d · Last report 20 s ago",
	         "<b>CPU</b> 40% · 4 cores",
	         "Intel Xeon Processor (Skylake, IBRS)",
	         "user 31% · sys 6.5% · iowait 1.5% · steal 0.5%",
	         "Load 0.61 · 0.41 · 0.32 (0.15 per core)",
	         "RAM 3.0 GiB / 7.8 GiB · 39%",
	         "Swap 0 B / 1.0 GiB · 0%",
	         "/ · 29% · 51.3 GiB free · inodes 5.7%",
	         "/boot/efi · 4.8% · 118 MiB free",
	         "eth0 ↓ 93.1 KiB/s ↑ 393 KiB/s",
	         "total ↓ 85.1 GiB ↑ 289 GiB",
	         "Processes 189 · 3 running · 417 threads",
	         "TCP 109 time_wait · 41 established · 7 listen · 1 close_wait",
	         "Logged-in sessions 1",
	         "<b>Top CPU</b> · 1 min ago\n48% · postgres <i>1432</i>\n12% · nginx <i>987</i>",
	         "<b>Top memory</b> · 1 min ago\n394 MiB · postgres <i>1432</i>\n256 MiB · node <i>2210</i>",
	         "<i>Updated 2024-06-10 17:39 UTC+8</i>",
	     })
		EXPECT_TRUE(has(t, part)) << part << "\n---\n" << t;
	auto kb = server_keyboard(Lang::en, 7);
	ASSERT_EQ(kb.size(), 1u);
	ASSERT_EQ(kb[0].size(), 2u);
	EXPECT_EQ(kb[0][0].text, "🔄 Refresh");
	EXPECT_EQ(kb[0][0].callback_data, "sr:7");
	EXPECT_EQ(kb[0][1].text, "📈 Chart");
	EXPECT_EQ(kb[0][1].callback_data, "ch:7");
}

TEST(BotServerView, ChineseAndTimeZones) {
	std::string zh = server_view(context(Lang::zh, "Asia/Shanghai"), example_server());
	EXPECT_TRUE(well_formed_html(zh));
	for (std::string_view part : {"内核 6.1.0-21-amd64", "已运行 10 天 · 20 秒前上报",
	                              "<b>CPU</b> 40% · 4 核", "物理内存 3.0 GiB / 7.8 GiB · 39%",
	                              "/ · 29% · 剩余 51.3 GiB", "<i>更新于 2024-06-10 17:39 UTC+8</i>"})
		EXPECT_TRUE(has(zh, part)) << part << "\n---\n" << zh;
	EXPECT_TRUE(
	    has(server_view(context(Lang::en, "UTC"), example_server()), "Updated 2024-06-10 09:39 UTC<"));
	EXPECT_TRUE(has(server_view(context(Lang::en, "Nowhere/Land"), example_server()),
	                "Updated 2024-06-10 09:39 UTC<"));
	EXPECT_EQ(server_keyboard(Lang::zh, 7)[0][0].text, "🔄 刷新");
}

TEST(BotServerView, PrintedForReadingOnAPhone) {
	for (Lang lang : kLanguages) {
		std::string text = server_view(context(lang, "Asia/Shanghai"), example_server());
		std::cout << "----- server view (" << language_tag(lang) << ") -----\n" << text << "\n";
		EXPECT_TRUE(well_formed_html(text));
		EXPECT_LE(html_text_length(text), kMaxMessageUnits);
		EXPECT_NE(text, server_view(context(lang, "UTC"), example_server())) << "not in the reader's zone";
	}
}

TEST(BotServerView, NeverReportedAndOffline) {
	ServerStatus never = example_server();
	never.server.last_seen_ms.reset();
	never.server.host.reset();
	never.latest.reset();
	EXPECT_EQ(
	    server_view(context(Lang::en), never),
	    "⚪ <b>web-01</b>\nNo report yet. Run the install line from /add on the server; it shows up here a "
	    "minute later.");

	ServerStatus offline = example_server();
	auto ctx = context(Lang::en);
	ctx.now_ms += 3 * 86'400'000LL + 2 * 3'600'000;
	std::string t = server_view(ctx, offline);
	EXPECT_TRUE(has(t, "🔴 <b>web-01</b> · offline 3 d 2 h")) << t;
	EXPECT_TRUE(has(t, "Last report 3 d 2 h ago")) << t;
	EXPECT_TRUE(has(t, "RAM 3.0 GiB / 7.8 GiB")) << t; // the last values stay readable
	EXPECT_TRUE(has(server_not_found(Lang::zh), "不存在"));
}

TEST(BotServerView, HostileAgentStringsNeverBreakTheMessage) {
	std::string evil =
	    "<b>x</b><a href=\"tg://x\">&amp;\u202E\u2066" + std::string(5000, 'A') + "\x01\x7f\n</pre>";
	ServerStatus s = example_server(9, evil);
	s.server.host->hostname = evil;
	s.server.host->os_name = evil;
	s.server.host->cpu_model = evil;
	Report& r = s.latest->report;
	r.filesystems[0].mount = evil;
	r.interfaces[0].name = evil;
	r.interfaces[0].ipv4 = evil;
	(*r.top_cpu)[0].name = evil;
	(*r.tcp_states)[0].state = evil;
	r.temperatures.push_back({evil, 1e9});
	for (int i = 0; i < 250; ++i) {
		r.filesystems.push_back(r.filesystems[1]);
		r.filesystems.back().mount = evil + std::to_string(i);
		r.interfaces.push_back(r.interfaces[0]);
		r.temperatures.push_back({evil, 40});
	}
	for (Lang lang : kLanguages) {
		std::string t = server_view(context(lang), s);
		EXPECT_TRUE(well_formed_html(t));
		EXPECT_LE(html_text_length(t), kMaxMessageUnits);
		EXPECT_FALSE(has(t, "<a ") || has(t, "</pre>") || has(t, "\u202E") || has(t, "\u2066") ||
		             has(t, "\x01"));
		EXPECT_FALSE(has(t, std::string(60, 'A'))); // every name clipped
		EXPECT_TRUE(has(t, lang == Lang::en ? "…and 240 more" : "…还有 240 项"))
		    << t; // 252 filesystems, 12 shown
	}
}

TEST(BotServerView, ASparseReportShowsOnlyWhatWasMeasured) {
	ServerStatus s = example_server(5, "bare");
	s.server.host.reset();
	Report bare;
	bare.seq = 9;
	bare.time_ms = s.latest->report.time_ms;
	bare.cpu.total.idle = 60;
	s.latest = store::LatestReport{bare, bare.time_ms, {}, {}, {}};
	EXPECT_EQ(server_view(context(Lang::en), s),
	          "🟢 <b>bare</b>\nLast report 20 s ago\n\n<b>CPU</b> 40%\n\n"
	          "<i>Updated 2024-06-10 09:39 UTC</i>");
}

// An idle machine's view leaves out what says nothing: interfaces that never carried a byte and
// processes at 0 % CPU (the memory list keeps them: memory is never idle).
TEST(BotServerView, IdleInterfacesAndIdleProcessesAreLeftOut) {
	auto s = example_server();
	Report& r = s.latest->report;
	NetInterface ifb;
	ifb.name = "ifb0";
	ifb.rx_bytes_total = 0;
	ifb.tx_bytes_total = 0;
	ifb.rx_bytes_per_s = 0;
	ifb.tx_bytes_per_s = 0;
	r.interfaces.push_back(ifb);
	ASSERT_TRUE(r.top_cpu && !r.top_cpu->empty());
	ProcessEntry idle = r.top_cpu->front();
	idle.name = "sleepy";
	idle.cpu_percent = 0;
	r.top_cpu->push_back(idle);
	std::string view = views::server_view(context(Lang::en), s);
	EXPECT_EQ(view.find("ifb0"), std::string::npos) << view;
	EXPECT_EQ(view.find("sleepy"), std::string::npos) << view;
	EXPECT_NE(view.find("eth0"), std::string::npos) << view;

	for (ProcessEntry& p : *r.top_cpu)
		p.cpu_percent = 0;
	view = views::server_view(context(Lang::en), s);
	EXPECT_EQ(view.find("Top CPU"), std::string::npos) << view;
	EXPECT_NE(view.find("Top memory"), std::string::npos) << view;
}
