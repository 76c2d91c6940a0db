// /stat through the dispatcher: the fleet view and its buttons, the typed argument, Refresh in
// place, and another chat's server refused on every path.
#include <gtest/gtest.h>

#include "bot_harness.h"
#include "views_fixture.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct StatBot : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(1001, "Alice"), bob = tg_user(2002, "Bob");
	uint64_t web = 0, bobs = 0;

	void SetUp() override {
		ReportBatch batch = example_batch();
		h.clock.set(Clock::time_point{std::chrono::milliseconds{batch.reports.back().time_ms + 20'000}});
		h.step = std::chrono::milliseconds(2000); // stay under the throttle
		h.start();
		h.say(alice, private_chat(alice), "/add web-01");
		h.say(alice, private_chat(alice), "/add idle");
		h.say(bob, private_chat(bob), "/add bobs-box");
		web = h.server_id(alice.id, "web-01");
		bobs = h.server_id(bob.id, "bobs-box");
		ASSERT_NE(web, 0u);
		ASSERT_NE(bobs, 0u);
		ASSERT_TRUE(h.store->append({{web, batch, h.clock.unix_millis()}}).ok());
		ASSERT_TRUE(h.store->append({{bobs, batch, h.clock.unix_millis()}}).ok());
	}
};

} // namespace

TEST_F(StatBot, FleetThenOneServerThenRefreshInPlace) {
	auto fleet = h.say(alice, private_chat(alice), "/stat");
	std::cout << transcript(fleet);
	ASSERT_EQ(fleet.size(), 1u);
	EXPECT_TRUE(has(fleet[0].text, "web-01"));
	EXPECT_TRUE(has(fleet[0].text, "idle"));
	EXPECT_FALSE(has(fleet[0].text, "bobs-box"));
	std::string open = button(fleet[0], "web-01");
	ASSERT_EQ(open, "st:" + std::to_string(web));

	// From the fleet: a new message below it (the overview stays), and the spinner stopped.
	auto detail = h.press(alice, private_chat(alice), open, 555);
	std::cout << transcript(detail);
	ASSERT_EQ(detail.size(), 2u);
	EXPECT_EQ(detail[0].kind, Reply::Kind::answer_callback);
	EXPECT_EQ(detail[1].kind, Reply::Kind::send);
	EXPECT_TRUE(has(detail[1].text, "web-01"));
	std::string refresh = button(detail[1], "Refresh");
	ASSERT_EQ(refresh, "sr:" + std::to_string(web));

	// Refresh edits the detail message itself.
	auto again = h.press(alice, private_chat(alice), refresh, 777);
	bool edited = false;
	for (const Reply& r : again)
		if (r.kind == Reply::Kind::edit_text) {
			edited = true;
			EXPECT_EQ(r.message_id, 777);
			EXPECT_TRUE(has(r.text, "web-01"));
		}
	EXPECT_TRUE(edited) << transcript(again);

	// Typed: by name, by prefix, and an unknown one.
	auto typed = h.say(alice, private_chat(alice), "/stat WEB");
	ASSERT_FALSE(typed.empty());
	EXPECT_TRUE(has(typed.back().text, "web-01")) << transcript(typed);
	EXPECT_EQ(button(typed.back(), "Refresh"), refresh);
	auto unknown = h.say(alice, private_chat(alice), "/stat nosuch");
	ASSERT_FALSE(unknown.empty());
	EXPECT_FALSE(has(transcript(unknown), "bobs-box"));
}

TEST_F(StatBot, AnotherChatsServerIsRefusedByEveryPath) {
	std::string id = std::to_string(bobs);
	std::vector<std::vector<Reply>> tries = {
	    h.say(alice, private_chat(alice), "/stat " + id), h.say(alice, private_chat(alice), "/stat bobs-box"),
	    h.say(alice, private_chat(alice), "/stat bobs"),  h.press(alice, private_chat(alice), "st:" + id),
	    h.press(alice, private_chat(alice), "sr:" + id),  h.say(alice, group_chat(-500), "/stat " + id),
	};
	for (size_t i = 0; i < tries.size(); ++i) {
		std::string t = transcript(tries[i]);
		EXPECT_FALSE(t.empty()) << "path " << i << " got no answer at all";
		// No status leaked; the name only where Alice typed it herself.
		EXPECT_FALSE(has(t, "Load")) << t;
		EXPECT_FALSE(has(t, "Debian")) << t;
		if (i != 1) {
			EXPECT_FALSE(has(t, "bobs-box")) << t;
		}
	}
	// Bob sees his own.
	auto own = h.say(bob, private_chat(bob), "/stat " + id);
	EXPECT_TRUE(has(transcript(own), "bobs-box"));
}
