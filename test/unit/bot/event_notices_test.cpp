// Jobs events become messages to the owner chat, in the owner's language, once each.
#include <gtest/gtest.h>

#include "serversan/server/bot/event_notices.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::bot;

namespace {

struct Recorded final : Outgoing {
	std::vector<Reply> replies;
	void send(Reply r) override { replies.push_back(std::move(r)); }
};

constexpr int64_t T0 = 1'764'000'000'000;

} // namespace

TEST(EventNotices, FirstReportWithHostFactsAndRemovalInTheOwnersLanguageOnce) {
	serversan::testing::TempDir dir;
	auto store = store::open_sqlite_store(dir.file("s.db")).value();
	store::User zh;
	zh.telegram_id = 2002;
	zh.language = "zh-hans";
	ASSERT_TRUE(store->create_user(zh).value());

	auto web1 = store::enroll_server(*store, int64_t{1001}, "web<1>", T0).value();
	ReportBatch batch = serversan::testing::sample_batch(1, 1, T0);
	HostFacts host;
	host.os_name = "Debian GNU/Linux";
	host.os_version = "12";
	host.arch = "x86_64";
	host.cpu_logical = 4;
	batch.reports[0].host = host;
	ASSERT_TRUE(store->append({{web1.server_id, batch, T0}}).ok());
	ASSERT_TRUE(store::enroll_server(*store, int64_t{2002}, "db", T0).ok());
	ASSERT_EQ(store->delete_unused_servers(T0 + 1, T0 + 31 * store::kMinuteMs).value().size(), 1u);
	store::Event offline;
	offline.kind = store::kEventServerOffline;
	offline.owner_chat = 1001;
	offline.server_name = "x";
	offline.ts_ms = T0;
	ASSERT_TRUE(store->add_event(offline).ok());

	Recorded out;
	ManualClock clock;
	EventNotices notices(*store, out, clock);
	EXPECT_EQ(notices.step(), 2u);
	ASSERT_EQ(out.replies.size(), 2u);
	EXPECT_EQ(out.replies[0].chat_id, 1001);
	EXPECT_EQ(out.replies[0].text,
	          "✅ <b>web&lt;1&gt;</b> is reporting: Debian GNU/Linux 12, x86_64, 4 cores, 24.0 GiB RAM.\n"
	          "Send /stat to see it.");
	EXPECT_FALSE(out.replies[0].dedupe_key.empty());
	EXPECT_EQ(out.replies[1].chat_id, 2002);
	EXPECT_NE(out.replies[1].text.find("已移除"), std::string::npos) << out.replies[1].text;
	EXPECT_NE(out.replies[1].text.find("30"), std::string::npos);

	EXPECT_EQ(notices.step(), 0u); // handled: never again
	auto left = store->unhandled_events(10).value();
	ASSERT_EQ(left.size(), 1u); // the offline event is the alerts' to handle
	EXPECT_EQ(left[0].kind, store::kEventServerOffline);
}
