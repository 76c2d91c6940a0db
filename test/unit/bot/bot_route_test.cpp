// /tag and /route through the dispatcher: tags added and removed, servers listed by tag; a
// server's alerts sent to a group by its owner from that group, and back; nobody else may.
#include <gtest/gtest.h>

#include "serversan/server/alerts/rule_catalog.h"
#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct Routing : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(3001, "Alice");
	telegram::User bob = tg_user(3002, "Bob");
	telegram::Chat alice_chat = private_chat(alice), bob_chat = private_chat(bob);
	telegram::Chat team = group_chat(-100900, "Team");
	uint64_t web1 = 0, db1 = 0;
	std::string log; // the whole conversation, printed at the end

	void SetUp() override {
		h.step = std::chrono::seconds(1);
		h.say(alice, alice_chat, "/add web1");
		h.say(alice, alice_chat, "/add db1");
		web1 = h.server_id(alice.id, "web1");
		db1 = h.server_id(alice.id, "db1");
		ASSERT_NE(web1, 0u);
		ASSERT_NE(db1, 0u);
	}
	void TearDown() override { std::cout << log; }

	std::vector<Reply> say(const telegram::User& u, const telegram::Chat& c, const std::string& text) {
		auto r = h.say(u, c, text);
		log +=
		    (c.id < 0 ? "[group] " : "[private] ") + u.first_name + ": " + text + "\n" + transcript(r) + "\n";
		return r;
	}
};

} // namespace

TEST_F(Routing, TagAddRemoveAndList) {
	auto r = say(alice, alice_chat, "/tag");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "No server has a tag yet"));
	r = say(alice, alice_chat, "/tag web1 web #Prod");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "#prod, #web")) << r[0].text;
	EXPECT_EQ(h.store->server_tags(web1).value(), (std::vector<std::string>{"prod", "web"}));
	say(alice, alice_chat, "/tag db1 db prod");
	r = say(alice, alice_chat, "/tag web1 -prod");
	EXPECT_EQ(h.store->server_tags(web1).value(), (std::vector<std::string>{"web"}));
	r = say(alice, alice_chat, "/tag");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "#db: db1\n#prod: db1\n#web: web1")) << r[0].text;
	r = say(alice, alice_chat, "/tag web1 no/slash");
	EXPECT_TRUE(has(r[0].text, "is not a tag"));
	EXPECT_EQ(h.store->server_tags(web1).value(), (std::vector<std::string>{"web"}));
	// Bob cannot tag Alice's server, by name or id.
	r = say(bob, bob_chat, "/tag " + std::to_string(web1) + " mine");
	EXPECT_EQ(h.store->server_tags(web1).value(), (std::vector<std::string>{"web"}));
}

TEST_F(Routing, TheOwnerRoutesFromTheGroupAndBack) {
	auto r = say(alice, alice_chat, "/route web1");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "send <code>/route web1</code> there"));
	EXPECT_FALSE(h.store->find_server(web1).value()->alert_chat);

	r = say(alice, team, "/route web1");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "now go to this group"));
	EXPECT_EQ(h.store->find_server(web1).value()->alert_chat, team.id);

	// Bob, in the same group, can neither route nor take back Alice's server.
	r = say(bob, team, "/route web1 off");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Only a server's owner"));
	EXPECT_EQ(h.store->find_server(web1).value()->alert_chat, team.id);

	r = say(alice, alice_chat, "/stat web1");
	ASSERT_FALSE(r.empty());
	EXPECT_TRUE(has(r[0].text, "🔀 Alerts go to a group")) << r[0].text;
	r = say(alice, alice_chat, "/route");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "<b>web1</b> → a group")) << r[0].text;
	EXPECT_TRUE(has(r[0].text, "<b>db1</b> → your private chat")) << r[0].text;

	r = say(alice, alice_chat, "/route web1 off");
	EXPECT_TRUE(has(r[0].text, "owner's private chat again"));
	EXPECT_FALSE(h.store->find_server(web1).value()->alert_chat);
}

TEST_F(Routing, ChineseTexts) {
	telegram::User li = tg_user(3003, "Li", "zh-hans");
	telegram::Chat li_chat = private_chat(li);
	say(li, li_chat, "/add box");
	auto r = say(li, li_chat, "/tag box db");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "🏷 <b>box</b>：#db")) << r[0].text;
	r = say(li, team, "/route box");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "告警现在发到本群")) << r[0].text;
	r = say(li, team, "/threshold box disk 85 here");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "<b>磁盘</b> 告警现在发到本聊天：&gt; 85%")) << r[0].text;
	r = say(li, li_chat, "/threshold box");
	ASSERT_FALSE(r.empty());
	EXPECT_TRUE(has(r[0].text, "· ➜ 其他聊天")) << r[0].text;
	r = say(li, li_chat, "/route");
	EXPECT_TRUE(has(r[0].text, "    ↳ 磁盘 → 一个群组")) << r[0].text;
}

TEST_F(Routing, ThresholdForATag) {
	say(alice, alice_chat, "/tag db1 db");
	auto r = say(alice, alice_chat, "/threshold #db cpu 80");
	ASSERT_FALSE(r.empty());
	auto rules = h.store->list_alert_rules(alice.id).value();
	ASSERT_EQ(rules.size(), 1u);
	EXPECT_EQ(rules[0].tag, "db");
	EXPECT_FALSE(rules[0].server_id);
	EXPECT_EQ(rules[0].threshold, 80);
	EXPECT_TRUE(has(r[0].text, "#db")) << r[0].text;
	// db1 carries the tag: its CPU rule is the tag's, marked ▲.
	r = say(alice, alice_chat, "/threshold db1 cpu");
	ASSERT_FALSE(r.empty());
	EXPECT_TRUE(has(r[0].text, "▲")) << r[0].text;
}

// "/threshold SERVER KIND ... here": one rule's alerts sent to the chat it is typed in (its
// route_chat), by the server's owner only; marked in /threshold, kept by later changes, taken
// back by "here" in the owner's chat.
TEST_F(Routing, OneRuleOfAServerSentToAGroupWithHere) {
	auto rule_of = [&](std::string_view metric) -> std::optional<store::AlertRule> {
		auto rules = h.store->list_alert_rules(alice.id).value();
		for (const auto& r : rules)
			if (r.server_id == web1 && r.metric == alerts::find_kind(metric)->metric)
				return r;
		return std::nullopt;
	};
	auto r = say(alice, team, "/threshold web1 ram 80 here");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "<b>RAM</b> alerts now come to this chat: &gt; 80%")) << r[0].text;
	ASSERT_TRUE(rule_of("ram"));
	EXPECT_EQ(rule_of("ram")->route_chat, team.id);
	EXPECT_EQ(rule_of("ram")->threshold, 80);
	EXPECT_FALSE(h.store->find_server(web1).value()->alert_chat); // the server's other alerts stay

	// In Alice's chat the rule is marked as going elsewhere; a later change keeps its route.
	r = say(alice, alice_chat, "/threshold web1");
	ASSERT_FALSE(r.empty());
	EXPECT_TRUE(has(r[0].text, "&gt; 80% for 5 min · clears &lt; 75% · ➜ another chat")) << r[0].text;
	r = say(alice, alice_chat, "/threshold web1 ram 85");
	EXPECT_EQ(rule_of("ram")->route_chat, team.id);
	EXPECT_EQ(rule_of("ram")->threshold, 85);
	EXPECT_TRUE(has(r[0].text, "➜ another chat")) << r[0].text;
	r = say(alice, alice_chat, "/threshold web1 ram");
	ASSERT_FALSE(r.empty());
	EXPECT_TRUE(has(r[0].text, "➜ Its alerts go to another chat.")) << r[0].text;
	EXPECT_TRUE(has(r[0].text, "<code>/threshold web1 ram here</code>")) << r[0].text;

	// Only the route, from the group again: the rule is kept as it is.
	r = say(alice, team, "/threshold web1 cpu here");
	ASSERT_TRUE(rule_of("cpu"));
	EXPECT_EQ(rule_of("cpu")->route_chat, team.id);
	EXPECT_EQ(rule_of("cpu")->threshold, alerts::default_rule(*alerts::find_kind("cpu")).threshold);

	// Bob, in the same group, can route nothing of Alice's; nor reach it by id.
	r = say(bob, team, "/threshold web1 swap 50 here");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Only a server's owner")) << r[0].text;
	r = say(bob, team, "/threshold " + std::to_string(web1) + " swap 50 here");
	EXPECT_TRUE(has(r[0].text, "Only a server's owner")) << r[0].text;
	EXPECT_FALSE(rule_of("swap"));

	// Not for a chat's or a tag's rules, and not with off/default.
	r = say(alice, team, "/threshold cpu 90 here");
	EXPECT_TRUE(has(r[0].text, "sends one server's alerts of one kind")) << r[0].text;
	r = say(alice, alice_chat, "/threshold #db cpu 90 here");
	EXPECT_TRUE(has(r[0].text, "sends one server's alerts of one kind")) << r[0].text;
	r = say(alice, team, "/threshold web1 ram off here");
	EXPECT_TRUE(has(r[0].text, "“here” is not understood here")) << r[0].text;
	EXPECT_EQ(rule_of("ram")->route_chat, team.id);

	// "here" in Alice's own chat: back to where the server's alerts go (no route of its own).
	r = say(alice, alice_chat, "/threshold web1 ram here");
	EXPECT_TRUE(has(r[0].text, "alerts now come to this chat")) << r[0].text;
	EXPECT_FALSE(rule_of("ram")->route_chat);
	EXPECT_EQ(rule_of("ram")->threshold, 85);
	// With the whole server routed to the group, "here" in her chat keeps this kind with her.
	say(alice, team, "/route web1");
	say(alice, alice_chat, "/threshold web1 disk here");
	ASSERT_TRUE(rule_of("disk"));
	EXPECT_EQ(rule_of("disk")->route_chat, alice.id);
	r = say(alice, alice_chat, "/threshold web1");
	EXPECT_TRUE(has(r[0].text, "➜ here")) << r[0].text;
	// /route lists the rules that go elsewhere under their server.
	r = say(alice, alice_chat, "/route");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text,
	                "<b>web1</b> → a group\n    ↳ CPU → a group\n    ↳ Disk → your private chat\n<b>db1</b>"))
	    << r[0].text;
}
