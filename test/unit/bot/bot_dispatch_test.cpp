// The dispatcher's front layer: @botname in groups, forum topics, the per-user throttle, banned
// users, callback answers, failures and bad input.
#include <chrono>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "serversan/server/bot/seen_updates.h"
#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct Dispatch : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(3001, "Alice");
	telegram::User bob = tg_user(3002, "Bob");
	telegram::Chat group = group_chat(-100777);
};

} // namespace

TEST_F(Dispatch, GroupCommandsAddressedToUsOrNoOne) {
	auto r = h.say(alice, group, "/add@SanBot web1");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].chat_id, group.id);
	EXPECT_NE(h.server_id(group.id, "web1"), 0u) << "a group's server belongs to the group";
	EXPECT_EQ(h.server_id(alice.id, "web1"), 0u);
	EXPECT_EQ(h.say(alice, group, "/list@sanbot").size(), 1u) << "the bot's name in any case";
	EXPECT_TRUE(h.say(alice, group, "/list@OtherBot").empty());
	EXPECT_TRUE(h.say(alice, group, "/add@OtherBot x").empty());
	EXPECT_TRUE(h.say(alice, group, "just talking").empty()) << "free text in a group: silence";
	EXPECT_TRUE(h.say(alice, group, "/weather").empty()) << "a bare unknown command: another bot's";
	r = h.say(alice, group, "/weather@SanBot");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Unknown command"));
	// Forum topics: the reply goes to the topic the command came from.
	telegram::Chat forum = group;
	forum.is_forum = true;
	r = h.say(alice, forum, "/list", 42);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].thread_id, 42);
}

TEST_F(Dispatch, FloodIsThrottledPerUser) {
	auto a_chat = private_chat(alice), b_chat = private_chat(bob);
	h.say(alice, a_chat, "/start");
	size_t answered = 0, notices = 0;
	for (int i = 0; i < 500; ++i) {
		for (const Reply& r : h.say(alice, a_chat, "/help"))
			(has(r.text, "Too many messages") ? notices : answered)++;
		if (i == 250) {
			// Bob, in the middle of Alice's flood, is answered at once.
			auto r = h.say(bob, b_chat, "/help");
			ASSERT_EQ(r.size(), 1u);
			EXPECT_TRUE(has(r[0].text, "Commands"));
		}
	}
	EXPECT_EQ(answered, 9u) << "burst of 10, one spent on /start";
	EXPECT_EQ(notices, 1u);
	// A steady flood: one update a second goes through, no second notice.
	for (int s = 0; s < 5; ++s) {
		h.clock.advance(std::chrono::seconds(1));
		EXPECT_EQ(h.say(alice, a_chat, "/help").size(), 1u);
		for (int i = 0; i < 50; ++i)
			EXPECT_TRUE(h.say(alice, a_chat, "/help").empty());
	}
	// Once the bucket has filled up again, a new flood gets a new notice.
	h.clock.advance(std::chrono::seconds(10));
	for (int i = 0; i < 10; ++i)
		EXPECT_EQ(h.say(alice, a_chat, "/help").size(), 1u);
	auto r = h.say(alice, a_chat, "/help");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Too many messages")) << "a new flood gets a new notice";
}

// The throttle's notice in a group that chose Chinese is in Chinese, whoever floods it.
TEST_F(Dispatch, AGroupsLanguageForTheThrottleNotice) {
	store::ChatSettings cs;
	cs.chat_id = group.id;
	cs.language = "zh";
	ASSERT_TRUE(h.store->put_chat_settings(cs).ok());
	std::vector<Reply> notices;
	for (int i = 0; i < 30; ++i)
		for (const Reply& r : h.say(alice, group, "/help"))
			if (r.chat_id == group.id && (has(r.text, "操作太频繁") || has(r.text, "Too many messages")))
				notices.push_back(r);
	ASSERT_EQ(notices.size(), 1u);
	EXPECT_TRUE(has(notices[0].text, "操作太频繁")) << notices[0].text;
}

TEST_F(Dispatch, BannedUsersGetNothing) {
	auto a_chat = private_chat(alice);
	h.say(alice, a_chat, "/start");
	ASSERT_TRUE(h.store->set_user_role(alice.id, "blocked").value());
	EXPECT_TRUE(h.say(alice, a_chat, "/start").empty());
	EXPECT_TRUE(h.say(alice, a_chat, "/add x").empty());
	EXPECT_TRUE(h.say(alice, a_chat, "hello").empty());
	EXPECT_TRUE(h.press(alice, a_chat, "lang:en").empty());
	EXPECT_TRUE(h.store->servers_of(alice.id).value().empty());
	EXPECT_EQ(h.store->find_user(alice.id).value()->role, "blocked") << "/start keeps the ban";
}

TEST_F(Dispatch, FirstMessageRegistersAndEveryButtonIsAnsweredOnce) {
	auto a_chat = private_chat(alice);
	auto r = h.say(alice, a_chat, "/list");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(h.store->find_user(alice.id).value()) << "registered without /start";
	for (const std::string& data :
	     std::vector<std::string>{"", "nonsense", "lang:en", "x", "del:1", ":::", std::string(64, 'z')}) {
		r = h.press(alice, a_chat, data);
		size_t answers = 0;
		for (const Reply& rep : r)
			answers += rep.kind == Reply::Kind::answer_callback;
		EXPECT_EQ(answers, 1u) << "'" << data << "'\n" << transcript(r);
	}
}

TEST_F(Dispatch, BadInputIsAnsweredOrSkipped) {
	auto a_chat = private_chat(alice);
	// Longer than Telegram ever sends.
	auto r = h.say(alice, a_chat, "/add " + std::string(20'000, 'a'));
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "too long"));
	// Invalid UTF-8 and control characters in a name: refused, nothing stored.
	r = h.say(alice, a_chat, "/add \xff\xfe");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "control")) << r[0].text;
	r = h.say(alice, a_chat,
	          "/add a\xe2\x80\xae"
	          "evil"); // RIGHT-TO-LEFT OVERRIDE
	EXPECT_TRUE(has(r[0].text, "control")) << r[0].text;
	// Emoji and CJK are names like any other.
	r = h.say(alice, a_chat, "/add 🚀 东京-1");
	EXPECT_TRUE(has(r[0].text, "<b>🚀 东京-1</b> added")) << r[0].text;
	// Skipped: malformed, unknown kinds, edits, channel posts, messages without a sender, bots.
	telegram::Update u;
	u.kind = telegram::Update::Kind::malformed;
	EXPECT_TRUE(h.feed(u).empty());
	u.kind = telegram::Update::Kind::other;
	EXPECT_TRUE(h.feed(u).empty());
	u.kind = telegram::Update::Kind::message; // no message inside
	EXPECT_TRUE(h.feed(u).empty());
	u.kind = telegram::Update::Kind::callback_query; // no query inside
	EXPECT_TRUE(h.feed(u).empty());
	telegram::Message m;
	m.chat = a_chat;
	m.text = "/start";
	u.kind = telegram::Update::Kind::edited_message;
	u.message = m;
	EXPECT_TRUE(h.feed(u).empty());
	u.kind = telegram::Update::Kind::message; // no from
	EXPECT_TRUE(h.feed(u).empty());
	auto robot = tg_user(3999, "Robot");
	robot.is_bot = true;
	EXPECT_TRUE(h.say(robot, a_chat, "/start").empty());
	// Odd command shapes are not commands.
	EXPECT_TRUE(has(h.say(alice, a_chat, "/")[0].text, "Send a command"));
	EXPECT_TRUE(has(h.say(alice, a_chat, "/ä")[0].text, "Send a command"));
}

TEST_F(Dispatch, AnUpdateDeliveredTwiceRunsOnce) {
	auto a_chat = private_chat(alice);
	telegram::Update u;
	u.update_id = 777;
	u.kind = telegram::Update::Kind::message;
	telegram::Message m;
	m.from = alice;
	m.chat = a_chat;
	m.text = "/add web1";
	u.message = m;
	EXPECT_EQ(h.feed(u).size(), 1u);
	EXPECT_TRUE(h.feed(u).empty()) << "a webhook retry or a repeated poll";
	EXPECT_EQ(h.store->servers_of(alice.id).value().size(), 1u);
}

TEST(BotSeenUpdates, RemembersTheLastIds) {
	SeenUpdates seen;
	EXPECT_TRUE(seen.first_time(5));
	EXPECT_FALSE(seen.first_time(5));
	EXPECT_TRUE(seen.first_time(0));
	EXPECT_TRUE(seen.first_time(0)) << "not Telegram's: never a repeat";
	for (int64_t id = 100; id < 100 + static_cast<int64_t>(SeenUpdates::kCapacity); ++id)
		EXPECT_TRUE(seen.first_time(id));
	EXPECT_TRUE(seen.first_time(5)) << "forgotten after kCapacity newer ids";
	EXPECT_FALSE(seen.first_time(100 + SeenUpdates::kCapacity - 1));
}

TEST_F(Dispatch, BlockingTheBotIsRememberedUntilStart) {
	auto a_chat = private_chat(alice);
	h.say(alice, a_chat, "/start");
	telegram::Update u;
	u.kind = telegram::Update::Kind::my_chat_member;
	u.my_chat_member = telegram::ChatMemberUpdated{a_chat, alice, 0, "member", "kicked"};
	EXPECT_TRUE(h.feed(u).empty());
	EXPECT_TRUE(h.store->find_user(alice.id).value()->bot_blocked);
	u.my_chat_member->new_status = "member";
	h.feed(u);
	EXPECT_FALSE(h.store->find_user(alice.id).value()->bot_blocked);
	// The sender's 403 marks it too; /start clears it.
	auto stored = *h.store->find_user(alice.id).value();
	stored.bot_blocked = true;
	ASSERT_TRUE(h.store->update_user(stored).value());
	h.say(alice, a_chat, "/start");
	EXPECT_FALSE(h.store->find_user(alice.id).value()->bot_blocked);
}

TEST_F(Dispatch, HandlerFailureIsOneFriendlyReply) {
	h.say(alice, group, "/add web1");
	h.admins.unreachable = true;
	auto r = h.say(alice, group, "/delete web1");
	ASSERT_EQ(r.size(), 1u) << transcript(r);
	EXPECT_EQ(r[0].text, "Something went wrong on our side. Please try again in a minute.");
}

TEST_F(Dispatch, StoreErrorIsOneFriendlyReply) {
	auto a_chat = private_chat(alice);
	h.say(alice, a_chat, "/add web1");
	uint64_t id = h.server_id(alice.id, "web1");
	// What someone with the sqlite3 shell can do: the server's key no longer decrypts, so the
	// store's lookup of that server is an error.
	sqlite3* db = nullptr;
	ASSERT_EQ(sqlite3_open(h.dir.file("bot.db").c_str(), &db), SQLITE_OK);
	std::string edit = "UPDATE servers SET key_box = x'00' WHERE id = " + std::to_string(id);
	ASSERT_EQ(sqlite3_exec(db, edit.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
	sqlite3_close(db);
	auto r = h.say(alice, a_chat, "/delete " + std::to_string(id));
	ASSERT_EQ(r.size(), 1u) << transcript(r);
	EXPECT_EQ(r[0].kind, Reply::Kind::send);
	EXPECT_EQ(r[0].text, "Something went wrong on our side. Please try again in a minute.");
	r = h.press(alice, a_chat, "delok:" + std::to_string(id));
	ASSERT_EQ(r.size(), 1u) << transcript(r);
	EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
	EXPECT_TRUE(r[0].show_alert);
	EXPECT_TRUE(has(r[0].text, "Something went wrong")) << r[0].text;
	// The bot goes on: other commands still work.
	r = h.say(alice, a_chat, "/help");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Commands"));
}
