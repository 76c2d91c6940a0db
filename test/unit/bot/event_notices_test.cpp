// Jobs events become messages to the owner chat, in the owner's language, once each: queued in
// the outbox (through the real sender, not started) in the transaction that marks the event.
#include <limits>

#include <gtest/gtest.h>

#include "serversan/server/bot/event_notices.h"
#include "serversan/server/bot/reply_codec.h"
#include "serversan/server/bot/sender.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::bot;

namespace {

// What the outbox holds, decoded, oldest first.
std::vector<Reply> queued(store::Store& store) {
	std::vector<Reply> out;
	auto due = store.due_messages(std::numeric_limits<int64_t>::max(), 100);
	for (const auto& m : due.value())
		out.push_back(decode_reply(m.payload).value());
	return out;
}

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

	ManualClock clock;
	telegram::ClientOptions nowhere;
	nowhere.api_url = "http://127.0.0.1:9";
	nowhere.token = "1:x";
	Sender out(*store, std::make_unique<telegram::ApiClient>(nowhere), clock);
	EventNotices notices(*store, out, clock);
	EXPECT_EQ(notices.step(), 2u);
	auto replies = queued(*store);
	ASSERT_EQ(replies.size(), 2u);
	EXPECT_EQ(replies[0].chat_id, 1001);
	EXPECT_EQ(replies[0].text,
	          "✅ <b>web&lt;1&gt;</b> is reporting: Debian GNU/Linux 12, x86_64, 4 cores, 24.0 GiB RAM.\n"
	          "Send /stat to see it.");
	EXPECT_EQ(replies[1].chat_id, 2002);
	EXPECT_NE(replies[1].text.find("已移除"), std::string::npos) << replies[1].text;
	EXPECT_NE(replies[1].text.find("30"), std::string::npos);

	EXPECT_EQ(notices.step(), 0u); // handled: never again
	EXPECT_EQ(queued(*store).size(), 2u);
	auto left = store->unhandled_events(10).value();
	ASSERT_EQ(left.size(), 1u); // the offline event is the alerts' to handle
	EXPECT_EQ(left[0].kind, store::kEventServerOffline);
}
