// The authorization matrix: user A can neither see, rename, delete nor reinstall user B's server
// by any path (typed id or name, forged callback data, a dialog carrying B's id, a group A is not
// in), and in a group only the group's admins may delete or reinstall. Plus access.h directly.
#include <gtest/gtest.h>

#include "serversan/server/bot/access.h"
#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct Matrix : ::testing::Test {
	BotHarness h;
	telegram::User a = tg_user(2001, "Mallory");
	telegram::User b = tg_user(2002, "Bob");
	telegram::Chat a_chat = private_chat(a), b_chat = private_chat(b);
	telegram::Chat group = group_chat(-100500);
	telegram::Chat b_group = group_chat(-100600, "B only"); // a group A is not in
	uint64_t b_server = 0, group_server = 0, b_group_server = 0;
	std::string b_name = "secret-db";
	uint64_t enrolled_key_version = 0; // what enroll_server leaves

	void SetUp() override {
		h.step = std::chrono::seconds(1);
		h.say(b, b_chat, "/add " + b_name);
		b_server = h.server_id(b.id, b_name);
		h.admins.admins.insert({group.id, b.id}); // B administers the group, A is a member
		h.say(b, group, "/add group-web");
		group_server = h.server_id(group.id, "group-web");
		h.say(b, b_group, "/add secret-group");
		b_group_server = h.server_id(b_group.id, "secret-group");
		ASSERT_NE(b_server, 0u);
		ASSERT_NE(group_server, 0u);
		enrolled_key_version = h.store->find_server(b_server).value()->key_version;
	}

	// Nothing A got mentions B's servers, and they are unchanged.
	void expect_untouched(const std::vector<Reply>& replies, const std::string& path) {
		for (const Reply& r : replies) {
			EXPECT_FALSE(has(r.text, "secret")) << path << "\n" << transcript(replies);
			EXPECT_FALSE(has(r.text, "sh -s --")) << path << "\n" << transcript(replies);
			EXPECT_NE(r.chat_id, b.id) << path;
			EXPECT_NE(r.chat_id, b_group.id) << path;
		}
		for (uint64_t id : {b_server, b_group_server}) {
			auto s = h.store->find_server(id).value();
			ASSERT_TRUE(s) << path << ": B's server was deleted";
			EXPECT_TRUE(has(s->name, "secret")) << path;
			EXPECT_EQ(s->key_version, enrolled_key_version) << path << ": B's token was rotated";
		}
	}
};

} // namespace

TEST_F(Matrix, ANeverReachesBsServer) {
	// B's private server and the server of a group A is not in, from A's private chat and from a
	// group A is in: typed ids and names, and forged buttons.
	for (uint64_t target : {b_server, b_group_server}) {
		std::string id = std::to_string(target);
		std::string name = h.store->find_server(target).value()->name;
		const std::vector<std::string> typed = {
		    "/delete " + id,
		    "/delete " + name,
		    "/rename " + id + " pwned",
		    "/rename " + name + " pwned",
		    "/reinstall " + id,
		    "/reinstall " + name,
		    "/list",
		};
		const std::vector<std::string> forged = {"del:" + id,         "delok:" + id, "rei:" + id,
		                                         "reiok:" + id,       "ren:" + id,   "delok:-" + id,
		                                         "delok:" + id + "x", "delok:"};
		for (const auto& chat : {a_chat, group}) {
			for (const auto& t : typed)
				expect_untouched(h.say(a, chat, t), t);
			for (const auto& data : forged) {
				auto r = h.press(a, chat, data);
				expect_untouched(r, data);
				ASSERT_EQ(r.size(), 1u) << data;
				EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback) << data;
				EXPECT_TRUE(has(r[0].text, "not in this chat")) << data;
			}
		}
	}
	std::string id = std::to_string(b_server);
	// A rename dialog opened on A's own server cannot be pointed at B's: the id is re-checked.
	h.say(a, a_chat, "/add mine");
	auto r = h.say(a, a_chat, "/rename");
	r = h.press(a, a_chat, "ren:" + id);
	expect_untouched(r, "ren: forged");
	expect_untouched(h.say(a, a_chat, "pwned"), "dialog text after a forged ren");
}

TEST_F(Matrix, GroupMembersSeeButOnlyAdminsDeleteOrReinstall) {
	std::string id = std::to_string(group_server);
	// A member lists the group's servers.
	auto r = h.say(a, group, "/list@SanBot");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "group-web")) << r[0].text;
	EXPECT_EQ(r[0].chat_id, group.id);
	// ...but may not delete, reinstall or rename them, typed or by button.
	for (const std::string& t :
	     std::vector<std::string>{"/delete group-web", "/reinstall " + id, "/rename group-web x"}) {
		r = h.say(a, group, t);
		ASSERT_EQ(r.size(), 1u) << t;
		EXPECT_EQ(r[0].text, "Only this group's admins can do that.") << t;
	}
	for (const std::string& d :
	     std::vector<std::string>{"delok:" + id, "reiok:" + id, "del:" + id, "ren:" + id}) {
		r = h.press(a, group, d);
		ASSERT_EQ(r.size(), 1u) << d;
		EXPECT_TRUE(has(r[0].text, "Only this group's admins")) << d;
	}
	auto s = h.store->find_server(group_server).value();
	ASSERT_TRUE(s);
	EXPECT_EQ(s->key_version, enrolled_key_version);
	// From A's private chat the group's server does not exist.
	r = h.press(a, a_chat, "delok:" + id);
	EXPECT_TRUE(has(r[0].text, "not in this chat"));
	// The group's admin may.
	r = h.press(b, group, "delok:" + id);
	EXPECT_TRUE(has(r[0].text, "deleted")) << transcript(r);
	EXPECT_FALSE(h.store->find_server(group_server).value());
}

TEST_F(Matrix, UnreachableTelegramIsARefusal) {
	h.admins.unreachable = true;
	auto r = h.press(b, group, "delok:" + std::to_string(group_server));
	ASSERT_EQ(r.size(), 1u) << transcript(r);
	EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
	EXPECT_TRUE(has(r[0].text, "went wrong")) << r[0].text;
	EXPECT_TRUE(h.store->find_server(group_server).value());
}

TEST(Access, Rules) {
	FakeChatAdmins admins;
	admins.admins.insert({-5, 7});
	store::ServerRecord own{};
	own.owner_chat = 1;
	store::ServerRecord grp{};
	grp.owner_chat = -5;
	store::ServerRecord cli{}; // added by the CLI: no owner chat
	Actor alice{1, 1, true, false};
	Actor member{-5, 8, false, false};
	Actor group_admin{-5, 7, false, false};
	Actor fleet_admin{3, 3, true, true};
	for (Action act : {Action::see, Action::change, Action::remove}) {
		EXPECT_EQ(*check_access(admins, alice, own, act), bot::Verdict::allowed);
		EXPECT_EQ(*check_access(admins, alice, grp, act), bot::Verdict::hidden);
		EXPECT_EQ(*check_access(admins, alice, cli, act), bot::Verdict::hidden);
		EXPECT_EQ(*check_access(admins, group_admin, grp, act), bot::Verdict::allowed);
		EXPECT_EQ(*check_access(admins, member, grp, act),
		          act == Action::see ? bot::Verdict::allowed : bot::Verdict::admins_only);
		// servers.all sees everything, changes nothing it does not own.
		EXPECT_EQ(*check_access(admins, fleet_admin, own, act),
		          act == Action::see ? bot::Verdict::allowed : bot::Verdict::hidden);
		EXPECT_EQ(*check_access(admins, fleet_admin, cli, act),
		          act == Action::see ? bot::Verdict::allowed : bot::Verdict::hidden);
	}
}
