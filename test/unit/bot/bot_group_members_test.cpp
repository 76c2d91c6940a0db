// The dispatcher notes who used the bot in which group (bot/group_members.h), so the web asks
// Telegram only about those groups: a command for us or a button there notes the user and the
// group's title, once a day at most (or when the title changed); nothing else does.
#include <chrono>
#include <iostream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct GroupMembersNoted : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(3001, "Alice");
	telegram::User bob = tg_user(3002, "Bob");
	telegram::Chat group = group_chat(-100777, "Ops");

	// What the store holds, read under it (the Store has no call for seen_ms): "-100777/3001@<ms>"
	// per noted pair, "" if none.
	std::string noted() {
		sqlite3* db = nullptr;
		EXPECT_EQ(sqlite3_open(h.dir.file("bot.db").c_str(), &db), SQLITE_OK);
		sqlite3_stmt* s = nullptr;
		sqlite3_prepare_v2(db, "SELECT chat_id, user_id, seen_ms FROM chat_members ORDER BY 1, 2", -1, &s,
		                   nullptr);
		std::string out;
		while (sqlite3_step(s) == SQLITE_ROW)
			out += std::to_string(sqlite3_column_int64(s, 0)) + "/" +
			       std::to_string(sqlite3_column_int64(s, 1)) + "@" +
			       std::to_string(sqlite3_column_int64(s, 2)) + " ";
		sqlite3_finalize(s);
		sqlite3_close(db);
		return out;
	}
	std::string at(int64_t ms) { return "-100777/3001@" + std::to_string(ms) + " "; }
	int64_t now() { return h.clock.unix_millis(); }
};

} // namespace

TEST_F(GroupMembersNoted, AGroupCommandNotesTheMemberOnceADay) {
	auto r = h.say(alice, group, "/list");
	std::cout << "Alice in Ops: /list\n" << transcript(r) << "\n";
	ASSERT_EQ(r.size(), 1u);
	int64_t first = now();
	EXPECT_EQ(noted(), at(first));
	EXPECT_EQ(h.store->group_chat_title(group.id).value(), "Ops");

	// Within 24 h: answered as ever, nothing written (seen_ms stays the first command's).
	h.clock.advance(std::chrono::hours(23));
	EXPECT_EQ(h.say(alice, group, "/list@SanBot").size(), 1u);
	EXPECT_EQ(h.say(alice, group, "/help").size(), 1u);
	EXPECT_EQ(noted(), at(first));

	// The group was renamed: written again, with the new title.
	telegram::Chat renamed = group_chat(group.id, "Ops & SRE");
	h.say(alice, renamed, "/list");
	EXPECT_EQ(noted(), at(now()));
	EXPECT_EQ(h.store->group_chat_title(group.id).value(), "Ops & SRE");

	// A day later: written again.
	int64_t second = now();
	h.clock.advance(std::chrono::hours(24));
	h.say(alice, renamed, "/list");
	EXPECT_GT(now(), second);
	EXPECT_EQ(noted(), at(now()));
}

TEST_F(GroupMembersNoted, OnlyOurCommandsAndButtonsInAGroupNote) {
	h.say(alice, private_chat(alice), "/list");
	h.say(alice, private_chat(alice), "/help");
	h.press(alice, private_chat(alice), "lang:en");
	EXPECT_EQ(noted(), "") << "a private chat is no group";
	EXPECT_FALSE(h.store->group_chat_title(alice.id).value());

	h.say(alice, group, "just talking");
	h.say(alice, group, "/list@OtherBot");
	h.say(alice, group, "/weather"); // a bare unknown command: another bot's
	EXPECT_EQ(noted(), "");

	h.press(bob, group, "nonsense"); // a button under one of our messages there
	EXPECT_EQ(noted(), "-100777/3002@" + std::to_string(now()) + " ");
	EXPECT_TRUE(h.store->server_group_chats(bob.id).value().empty()) << "the group owns no servers";
}

TEST_F(GroupMembersNoted, BannedUsersAreNotNoted) {
	h.say(alice, private_chat(alice), "/start");
	ASSERT_TRUE(h.store->set_user_role(alice.id, "blocked").value());
	EXPECT_TRUE(h.say(alice, group, "/list").empty());
	EXPECT_TRUE(h.press(alice, group, "nonsense").empty());
	EXPECT_EQ(noted(), "");
}

TEST_F(GroupMembersNoted, AFailedWriteIsLoggedOnceAndTheCommandRuns) {
	sqlite3* db = nullptr;
	ASSERT_EQ(sqlite3_open(h.dir.file("bot.db").c_str(), &db), SQLITE_OK);
	ASSERT_EQ(sqlite3_exec(db, "DROP TABLE group_chats", nullptr, nullptr, nullptr), SQLITE_OK);
	sqlite3_close(db);
	::testing::internal::CaptureStderr();
	auto r = h.say(alice, group, "/help");
	auto again = h.say(bob, group, "/help");
	std::string log = ::testing::internal::GetCapturedStderr();
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Commands")) << transcript(r);
	EXPECT_EQ(again.size(), 1u);
	size_t first = log.find("noting user 3001 in group -100777 failed");
	EXPECT_NE(first, std::string::npos) << log;
	EXPECT_EQ(log.find("noting user", first + 1), std::string::npos) << "once, not per command:\n" << log;
	EXPECT_EQ(noted(), "") << "one transaction: no member without the group";
}
