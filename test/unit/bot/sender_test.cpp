// The sender against the in-process fake Bot API on a manual clock: pacing per chat, per group and
// overall; a 429 storm; 5xx back-off; 403 -> bot_blocked; a restart with messages queued; long
// texts split, never cut.
#include <gtest/gtest.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/sender.h"
#include "serversan/server/charts/render.h"
#include "test/fake_telegram/fake_bot_api.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::fake_telegram;
using namespace std::chrono_literals;

namespace {

// Built piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on "m" + to_string(i).
std::string label(int i) {
	std::string s = "m";
	s += std::to_string(i);
	return s;
}

struct SenderTest : ::testing::Test {
	serversan::testing::TempDir dir;
	std::unique_ptr<store::Store> store = store::open_sqlite_store(dir.file("s.db")).value();
	FakeBotApi fake;
	ManualClock clock;

	std::unique_ptr<Sender> sender() {
		telegram::ClientOptions o;
		o.api_url = fake.base_url();
		o.token = fake.token();
		o.request_timeout = 5s;
		return std::make_unique<Sender>(*store, std::make_unique<telegram::ApiClient>(o), clock);
	}
	// Steps the sender every 100 ms of manual time for `total`.
	void run(Sender& s, std::chrono::milliseconds total) {
		for (auto t = 0ms; t <= total; t += 100ms) {
			(void)s.step();
			clock.advance(100ms);
		}
	}
	static Reply text(int64_t chat, std::string t) {
		Reply r;
		r.chat_id = chat;
		r.text = std::move(t);
		return r;
	}
	std::vector<std::string> texts(int64_t chat) {
		std::vector<std::string> out;
		for (const auto& m : fake.messages(chat))
			out.push_back(m.value("text", ""));
		return out;
	}
	static std::vector<std::string> numbered(int n) {
		std::vector<std::string> out;
		for (int i = 0; i < n; ++i)
			out.push_back(label(i));
		return out;
	}
};

} // namespace

TEST_F(SenderTest, PacesOneChatAtAboutOneMessageASecond) {
	fake.add_chat({1001, "private"});
	auto s = sender();
	for (int i = 0; i < 20; ++i)
		s->send(text(1001, label(i)));
	run(*s, 5000ms);
	size_t n = fake.messages(1001).size();
	EXPECT_GE(n, 6u); // the burst plus one a second
	EXPECT_LE(n, 9u);
	run(*s, 20'000ms);
	EXPECT_EQ(texts(1001), numbered(20)); // all of them, in order, once
}

TEST_F(SenderTest, PacesAGroupAtTwentyAMinute) {
	fake.add_chat({-500, "group", "ops"});
	auto s = sender();
	for (int i = 0; i < 40; ++i)
		s->send(text(-500, label(i)));
	run(*s, 60'000ms);
	size_t n = fake.messages(-500).size();
	EXPECT_GE(n, 20u);
	EXPECT_LE(n, 24u);
}

TEST_F(SenderTest, PacesEverythingAtThirtyASecond) {
	auto s = sender();
	for (int c = 1; c <= 100; ++c) {
		fake.add_chat({c, "private"});
		s->send(text(c, "hi"));
	}
	run(*s, 1000ms);
	EXPECT_LE(fake.calls("sendMessage").size(), 61u); // the burst of 30 plus 30 in one second
	EXPECT_GE(fake.calls("sendMessage").size(), 30u);
	run(*s, 5000ms);
	EXPECT_EQ(fake.calls("sendMessage").size(), 100u);
}

TEST_F(SenderTest, ATooManyRequestsStormIsWaitedOutWithNothingLostOrRepeated) {
	fake.add_chat({1001, "private"});
	fake.fail(Fault::too_many_requests("sendMessage", 5));
	auto s = sender();
	for (int i = 0; i < 5; ++i)
		s->send(text(1001, label(i)));
	run(*s, 4000ms);
	EXPECT_TRUE(fake.messages(1001).empty()); // retry_after 5 s obeyed
	ASSERT_EQ(fake.calls("sendMessage").size(), 1u);
	fake.fail(Fault::too_many_requests("sendMessage", 3));
	fake.fail(Fault::too_many_requests("sendMessage", 3));
	run(*s, 30'000ms);
	EXPECT_EQ(texts(1001), numbered(5));
	EXPECT_EQ(store->outbox_depth().value(), 0u);
}

TEST_F(SenderTest, ServerErrorsAreRetriedWithBackOff) {
	fake.add_chat({1001, "private"});
	Fault f = Fault::server_error("sendMessage", 502);
	f.times = 3;
	fake.fail(f);
	auto s = sender();
	s->send(text(1001, "hello"));
	run(*s, 2500ms);
	size_t early = fake.calls("sendMessage").size();
	EXPECT_LE(early, 2u); // 1 s, then 2 s, then 4 s: not a retry every step
	run(*s, 30'000ms);
	EXPECT_EQ(fake.calls("sendMessage").size(), 4u);
	EXPECT_EQ(texts(1001), std::vector<std::string>{"hello"});
}

TEST_F(SenderTest, ABlockedUserIsMarkedAndGetsNothingMore) {
	store::User u;
	u.telegram_id = 1001;
	ASSERT_TRUE(store->create_user(u).value());
	fake.add_chat({1001, "private"});
	fake.fail(Fault::blocked_by(1001));
	auto s = sender();
	s->send(text(1001, "one"));
	s->send(text(1001, "two"));
	run(*s, 5000ms);
	EXPECT_TRUE(store->find_user(1001).value()->bot_blocked);
	EXPECT_EQ(fake.calls("sendMessage").size(), 1u); // "two" never tried
	EXPECT_EQ(store->outbox_depth().value(), 0u);
}

TEST_F(SenderTest, ChatNotFoundGivesTheMessageUpAndOthersGoOn) {
	fake.add_chat({1001, "private"});
	fake.fail(Fault::chat_not_found(777));
	auto s = sender();
	s->send(text(777, "lost"));
	s->send(text(1001, "ok"));
	run(*s, 2000ms);
	EXPECT_EQ(texts(1001), std::vector<std::string>{"ok"});
	EXPECT_EQ(store->outbox_depth().value(), 0u);
}

TEST_F(SenderTest, ARestartWithMessagesQueuedNeitherLosesNorRepeats) {
	fake.add_chat({1001, "private"});
	{
		auto s = sender();
		for (int i = 0; i < 10; ++i)
			s->send(text(1001, label(i)));
		run(*s, 1000ms); // a few go, the rest stay queued
	}
	size_t before = fake.messages(1001).size();
	EXPECT_GT(before, 0u);
	EXPECT_LT(before, 10u);
	store.reset();
	store = store::open_sqlite_store(dir.file("s.db")).value();
	auto s = sender();
	run(*s, 20'000ms);
	EXPECT_EQ(texts(1001), numbered(10));
}

TEST_F(SenderTest, ALongTextIsSplitAtLineEndsNeverCut) {
	fake.add_chat({1001, "private"});
	std::string line(99, 'x');
	std::string all;
	for (int i = 0; i < 100; ++i)
		all += line + "\n";
	auto s = sender();
	s->send(text(1001, all));
	run(*s, 10'000ms);
	auto got = texts(1001);
	ASSERT_GE(got.size(), 3u);
	std::string joined;
	for (const auto& t : got) {
		EXPECT_LE(utf16_length(t), kMaxMessageUnits);
		joined += t;
		if (!joined.ends_with('\n'))
			joined += '\n';
	}
	EXPECT_TRUE(joined == all) << "the pieces do not add up to the text"; // (not printed: 10 kB)
}

TEST_F(SenderTest, NotModifiedIsSuccessAndCallbackAnswersGoFirst) {
	fake.add_chat({1001, "private"});
	auto s = sender();
	s->send(text(1001, "card"));
	run(*s, 100ms);
	auto msgs = fake.messages(1001);
	ASSERT_EQ(msgs.size(), 1u);
	Reply edit = text(1001, "card");
	edit.kind = Reply::Kind::edit_text;
	edit.message_id = msgs[0].value("message_id", int64_t{0});
	s->send(edit);
	run(*s, 2000ms);
	EXPECT_EQ(store->outbox_depth().value(), 0u); // not retried
	std::string query;
	fake.press_button({}, {1001, "private"}, *edit.message_id, "x", &query);
	Reply answer;
	answer.kind = Reply::Kind::answer_callback;
	answer.callback_query_id = query;
	s->send(answer);
	(void)s->step();
	EXPECT_EQ(fake.calls("answerCallbackQuery").size(), 1u);
}

TEST_F(SenderTest, AMigratedGroupGetsTheMessageAtItsNewId) {
	fake.add_chat({-100500, "supergroup", "ops"});
	Fault moved;
	moved.method = "sendMessage";
	moved.chat_id = -500;
	moved.description = "Bad Request: group chat was migrated to a supergroup chat";
	moved.migrate_to_chat_id = -100500;
	fake.fail(moved);
	auto s = sender();
	Reply r = text(-500, "alert");
	r.silent = true;
	s->send(r);
	run(*s, 2000ms);
	EXPECT_EQ(texts(-100500), std::vector<std::string>{"alert"});
	auto calls = fake.calls("sendMessage");
	ASSERT_EQ(calls.size(), 2u);
	EXPECT_EQ(calls[1].params.value("disable_notification", false), true); // the same Reply
	EXPECT_EQ(store->outbox_depth().value(), 0u);
}

TEST_F(SenderTest, AChartGoesOutAsAPhotoAndIsSwitchedInPlace) {
	fake.add_chat({1001, "private"});
	charts::ChartData d;
	d.server_name = "web-01";
	d.title = "CPU";
	d.unit = charts::Unit::percent;
	d.from_ms = 0;
	d.to_ms = 3'600'000;
	auto first = charts::render_chart(d, charts::Theme::light, {}).value().png; // "No data yet"
	d.layers.push_back({"busy", {store::Tier::raw, 0, {{60'000, 5, 5, 5}, {120'000, 7, 7, 7}}}});
	auto second = charts::render_chart(d, charts::Theme::dark, {}).value().png;
	auto s = sender();
	Reply photo;
	photo.kind = Reply::Kind::photo;
	photo.chat_id = 1001;
	photo.png = first;
	photo.text = "<b>web-01</b> · CPU · 24 h";
	photo.keyboard = telegram::InlineKeyboard{{{"7 d", "cv:1:cpu:7d:l", ""}}};
	s->send(photo);
	run(*s, 2000ms);
	ASSERT_EQ(fake.photos().size(), 1u);
	EXPECT_EQ(fake.photos()[0].bytes, first); // through the durable outbox byte for byte
	int64_t id = fake.photos()[0].message_id;
	Reply edit = photo;
	edit.kind = Reply::Kind::edit_photo;
	edit.message_id = id;
	edit.png = second;
	edit.text = "<b>web-01</b> · CPU · 7 d";
	s->send(edit);
	run(*s, 2000ms);
	ASSERT_EQ(fake.photos().size(), 2u);
	EXPECT_EQ(fake.photos()[1].bytes, second);
	EXPECT_EQ(fake.photos()[1].message_id, id);
}

// Alert notices (outbox kind "alert") belong to their renderer: a sender without one neither sends
// them nor gives them up, and the rest of the chat's messages go out around them.
TEST_F(SenderTest, AlertNoticesWaitForTheirRendererAndBlockNothing) {
	fake.add_chat({1001, "private"});
	store::OutboxMessage alert;
	alert.chat_id = 1001;
	alert.kind = "alert";
	alert.payload =
	    R"({"v":1,"server_id":1,"kind":"cpu","state":"firing","threshold":90,"started_ms":0,"at_ms":0})";
	alert.created_ms = alert.next_attempt_ms = clock.unix_millis();
	ASSERT_TRUE(store->enqueue_message(alert).ok());
	auto s = sender();
	s->send(text(1001, "hello"));
	run(*s, 3000ms);
	EXPECT_EQ(texts(1001), std::vector<std::string>{"hello"});
	EXPECT_EQ(store->outbox_depth().value(), 1u); // still queued, not dead
	run(*s, 6 * 60'000ms);
	EXPECT_EQ(store->outbox_depth().value(), 1u);
}
