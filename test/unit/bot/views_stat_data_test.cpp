#include <gtest/gtest.h>

#include "../server/test_support.h"
#include "serversan/server/bot/views/fleet_view.h"
#include "serversan/server/bot/views/stat_data.h"
#include "views_fixture.h"

using namespace serversan;
using namespace serversan::bot;

// The views read what a real SQLite store gives back for the example batch.
TEST(BotStatData, LoadsAChatsServersWithTheirLatestReports) {
	serversan::testing::TempDir dir;
	auto opened = store::open_sqlite_store(dir.file("s.db"));
	ASSERT_TRUE(opened.ok()) << opened.error().message;
	auto& st = **opened;
	ReportBatch batch = bot::testing::example_batch();
	int64_t now = batch.reports.back().time_ms + 20'000;
	auto web = st.create_server(42, "web-01", SigningKey{}, now - 60'000);
	auto idle = st.create_server(42, "idle", SigningKey{}, now - 60'000);
	auto other = st.create_server(43, "not-ours", SigningKey{}, now - 60'000);
	ASSERT_TRUE(web.ok() && idle.ok() && other.ok());
	ASSERT_TRUE(st.append({{*web, batch, now - 10'000}}).ok());

	auto fleet = views::load_fleet(st, 42);
	ASSERT_TRUE(fleet.ok()) << fleet.error().message;
	ASSERT_EQ(fleet->size(), 2u);
	const views::ServerStatus* w = (*fleet)[0].server.id == *web ? &(*fleet)[0] : &(*fleet)[1];
	const views::ServerStatus* i = w == &(*fleet)[0] ? &(*fleet)[1] : &(*fleet)[0];
	ASSERT_TRUE(w->latest.has_value());
	EXPECT_EQ(w->latest->report.memory.used, batch.reports.back().memory.used);
	ASSERT_TRUE(w->latest->report.top_cpu.has_value());
	EXPECT_FALSE(i->latest.has_value());

	auto msgs = views::fleet_view({Lang::en, "UTC", now}, *fleet);
	ASSERT_EQ(msgs.size(), 1u);
	EXPECT_NE(msgs[0].text.find("🟢 <b>web-01</b>\n<code> 40%  39%  29% 0.61   93K  393K</code>"),
	          std::string::npos)
	    << msgs[0].text;

	auto one = views::load_server(st, *web);
	ASSERT_TRUE(one.ok() && one->has_value());
	EXPECT_EQ((*one)->server.name, "web-01");
	auto gone = views::load_server(st, 999);
	ASSERT_TRUE(gone.ok());
	EXPECT_FALSE(gone->has_value());
}
