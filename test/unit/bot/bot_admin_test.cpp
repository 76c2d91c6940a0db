// The admin commands (/users, /ban, /unban, /broadcast, /fleet) and /start's deep links, read as a
// chat: who may use them, what they answer, and what the store and Telegram see afterwards.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/menu.h"
#include "serversan/server/bot/sender.h"
#include "test/fake_telegram/fake_bot_api.h"
#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;
using namespace std::chrono_literals;

namespace {

const char* const kAdminCommands[] = {"/users", "/ban 1002", "/unban 1002", "/broadcast hi", "/fleet"};

struct Admin : ::testing::Test {
	BotHarness h;
	telegram::User root = tg_user(1001, "Root");
	telegram::User bob = tg_user(1002, "Bob");
	telegram::Chat root_chat = private_chat(root), bob_chat = private_chat(bob);
	telegram::Chat group = group_chat(-100500);

	Admin() {
		h.step = 2s; // one user's commands stay under the throttle
		h.settings.admins = {root.id};
		h.start();
		h.say(root, root_chat, "/start");
		h.say(bob, bob_chat, "/start");
	}
	std::string one(const std::vector<Reply>& r) {
		EXPECT_EQ(r.size(), 1u) << transcript(r);
		return r.empty() ? "" : r[0].text;
	}
	std::string role(int64_t id) { return h.store->find_user(id).value()->role; }
	// Two more users: carol blocked the bot, dave is banned.
	telegram::User carol = tg_user(1003, "Carol"), dave = tg_user(1004, "Dave");
	void add_carol_and_dave() {
		h.say(carol, private_chat(carol), "/start");
		h.say(dave, private_chat(dave), "/start");
		auto c = h.store->find_user(carol.id).value().value();
		c.bot_blocked = true;
		ASSERT_TRUE(h.store->update_user(c).value());
		ASSERT_TRUE(h.store->set_user_role(dave.id, "blocked").value());
	}
};

} // namespace

TEST_F(Admin, OthersGetTheUnknownCommandAnswer) {
	std::string unknown = one(h.say(bob, bob_chat, "/nosuchcommand"));
	for (const char* cmd : kAdminCommands) {
		auto r = h.say(bob, bob_chat, cmd);
		std::cout << cmd << "\n" << transcript(r);
		EXPECT_EQ(one(r), unknown) << cmd;
	}
	// In a group: silence for the bare command, "Unknown command" when it names the bot, as for
	// any command we do not have.
	EXPECT_TRUE(h.say(bob, group, "/users").empty());
	EXPECT_EQ(one(h.say(bob, group, "/fleet@SanBot")), unknown);
	// Forged buttons: the stale-button toast any unknown button gets; nothing is shown.
	for (std::string data : {"usr:1", "bc:1", "bcx:1"}) {
		auto r = h.press(bob, bob_chat, data);
		ASSERT_EQ(r.size(), 1u) << transcript(r);
		EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
		EXPECT_TRUE(has(r[0].text, "no longer valid")) << r[0].text;
	}
	EXPECT_EQ(role(root.id), "admin");
	EXPECT_EQ(role(bob.id), "user") << "bob's /ban 1002 did nothing";
}

TEST_F(Admin, AdminInAGroupIsSentToAPrivateChat) {
	for (const char* cmd : kAdminCommands) {
		auto r = h.say(root, group, cmd);
		std::cout << cmd << "\n" << transcript(r);
		EXPECT_EQ(one(r), "Use this in a private chat with me.") << cmd;
	}
	auto r = h.press(root, group, "usr:0");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
	EXPECT_TRUE(has(r[0].text, "private chat"));
	EXPECT_EQ(role(bob.id), "user");
}

TEST_F(Admin, UsersPagesTenAtATimeInPlace) {
	// 21 more users (24 in all with a nameless one), one with a name that needs escaping, one who blocked the
	// bot.
	for (int i = 0; i < 21; ++i) {
		auto u =
		    tg_user(2000 + i, i == 3 ? "<b>Eve</b> & co" : fmt::format("User{}", i), i == 5 ? "zh-CN" : "en");
		h.say(u, private_chat(u), "/start");
	}
	store::User nameless;
	nameless.telegram_id = 3000;
	nameless.display_name = nameless.username = "";
	nameless.created_ms = h.clock.unix_millis() + 60'000; // the last one
	ASSERT_TRUE(h.store->create_user(nameless).value());
	auto blocked = h.store->find_user(2012).value().value();
	blocked.bot_blocked = true;
	ASSERT_TRUE(h.store->update_user(blocked).value());
	h.say(bob, bob_chat, "/add web1");
	h.say(bob, bob_chat, "/add web2");

	auto r = h.say(root, root_chat, "/users");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "<b>Users</b>: 24 · page 1/3")) << r[0].text;
	EXPECT_TRUE(has(r[0].text, "1. <b>Root</b> @u1001 · <code>1001</code>\nadmin · 0 servers · English"));
	EXPECT_TRUE(has(r[0].text, "2. <b>Bob</b> @u1002 · <code>1002</code>\nuser · 2 servers · English"));
	EXPECT_TRUE(has(r[0].text, "&lt;b&gt;Eve&lt;/b&gt; &amp; co")) << "names are escaped";
	EXPECT_TRUE(has(r[0].text, "简体中文"));
	EXPECT_TRUE(has(r[0].text, "10. "));
	EXPECT_FALSE(has(r[0].text, "11. "));
	EXPECT_EQ(button(r[0], "Prev"), "");
	std::string next = button(r[0], "Next");
	EXPECT_EQ(next, "usr:1");

	r = h.press(root, root_chat, next);
	std::cout << transcript(r);
	ASSERT_GE(r.size(), 1u);
	EXPECT_EQ(r[0].kind, Reply::Kind::edit_text) << "a page replaces the one before";
	EXPECT_TRUE(has(r[0].text, "page 2/3"));
	EXPECT_TRUE(has(r[0].text, "11. ") && has(r[0].text, "20. ") && !has(r[0].text, "21. "));
	EXPECT_TRUE(has(r[0].text, "user · 0 servers · English · blocked the bot")) << r[0].text;
	EXPECT_EQ(button(r[0], "Prev"), "usr:0");
	EXPECT_EQ(button(r[0], "Next"), "usr:2");

	r = h.press(root, root_chat, "usr:2");
	ASSERT_GE(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "page 3/3") && has(r[0].text, "23. "));
	EXPECT_TRUE(has(r[0].text, "24. <code>3000</code>\nuser · 0 servers · English")) << r[0].text;
	EXPECT_EQ(button(r[0], "Next"), "");
	// A page past the end (an old button after users left) shows the last one.
	r = h.press(root, root_chat, "usr:99");
	EXPECT_TRUE(has(r[0].text, "page 3/3"));
}

TEST_F(Admin, BanSilencesAUserAndUnbanServesThemAgain) {
	h.say(bob, bob_chat, "/add web1");
	auto r = h.say(root, root_chat, "/ban @U1002 spam <links>");
	std::cout << transcript(r);
	EXPECT_EQ(one(r), "🚫 Banned <b>Bob</b> @u1002 · <code>1002</code>: spam &lt;links&gt;");
	EXPECT_EQ(role(bob.id), "blocked");
	// The front layer now drops everything bob sends, buttons included.
	EXPECT_TRUE(h.say(bob, bob_chat, "/help").empty());
	EXPECT_TRUE(h.say(bob, bob_chat, "/start").empty());
	EXPECT_TRUE(h.press(bob, bob_chat, "st:1").empty());
	EXPECT_EQ(one(h.say(root, root_chat, "/ban 1002")),
	          "<b>Bob</b> @u1002 · <code>1002</code> is already banned.");

	r = h.say(root, root_chat, "/unban 1002");
	std::cout << transcript(r);
	EXPECT_EQ(one(r), "✅ Unbanned <b>Bob</b> @u1002 · <code>1002</code> (role: user).");
	EXPECT_EQ(role(bob.id), "user");
	EXPECT_TRUE(has(one(h.say(bob, bob_chat, "/list")), "web1")) << "served again, servers kept";
	EXPECT_TRUE(has(one(h.say(root, root_chat, "/unban 1002")), "is not banned"));
}

TEST_F(Admin, NobodyBansThemselvesOrAnAdmin) {
	EXPECT_EQ(one(h.say(root, root_chat, "/ban 1001")), "You cannot ban yourself.");
	// Another admin, by the roles table rather than the configuration.
	ASSERT_TRUE(h.store->set_user_role(bob.id, "admin").value());
	EXPECT_TRUE(has(one(h.say(root, root_chat, "/ban 1002")), "is an admin and cannot be banned"));
	EXPECT_EQ(role(bob.id), "admin");
	EXPECT_TRUE(has(one(h.say(root, root_chat, "/ban")), "/ban ID"));
	EXPECT_EQ(one(h.say(root, root_chat, "/ban 999")), "No registered user 999. /users lists them.");
	EXPECT_EQ(one(h.say(root, root_chat, "/ban @<x>")), "No registered user @&lt;x&gt;. /users lists them.");
	// A configured admin banned by hand in the roles table gets "admin" back with /unban.
	ASSERT_TRUE(h.store->set_user_role(root.id, "blocked").value());
	ASSERT_TRUE(h.store->set_user_role(bob.id, "admin").value());
	EXPECT_TRUE(has(one(h.say(bob, bob_chat, "/unban 1001")), "(role: admin)"));
	EXPECT_EQ(role(root.id), "admin");
}

TEST_F(Admin, ABannedUsersQueuedMessagesAreNotSent) {
	fake_telegram::FakeBotApi fake;
	fake.add_chat({bob.id, "private"});
	telegram::ClientOptions o;
	o.api_url = fake.base_url();
	o.token = fake.token();
	Sender sender(*h.store, std::make_unique<telegram::ApiClient>(o), h.clock);
	sender.send(Reply{.chat_id = bob.id, .text = "web1 is offline"});
	ASSERT_TRUE(h.store->set_user_role(bob.id, "blocked").value());
	for (int i = 0; i < 5; ++i) {
		(void)sender.step();
		h.clock.advance(1s);
	}
	EXPECT_TRUE(fake.messages(bob.id).empty());
	EXPECT_EQ(h.store->outbox_depth().value(), 0u) << "given up, not kept for later";
}

namespace {

// The dispatcher on the real sender and the fake Bot API, as in production.
struct Broadcast : Admin {
	fake_telegram::FakeBotApi fake;
	std::unique_ptr<Sender> sender;
	std::unique_ptr<UpdateHandler> bot;
	int64_t next_update = 9001;

	// (Re)starts sender and dispatcher on the same store: a restart.
	void restart() {
		telegram::ClientOptions o;
		o.api_url = fake.base_url();
		o.token = fake.token();
		sender = std::make_unique<Sender>(*h.store, std::make_unique<telegram::ApiClient>(o), h.clock);
		bot = make_dispatcher(*h.store, *sender, h.clock, h.admins, h.settings);
	}
	// root presses data under the preview (sent through the harness, so unknown to the fake).
	void press(const std::string& data) {
		telegram::Update u;
		u.update_id = next_update++;
		u.kind = telegram::Update::Kind::callback_query;
		telegram::CallbackQuery q;
		q.id = fmt::format("cb{}", u.update_id);
		q.from = root;
		q.message = telegram::Message{};
		q.message->message_id = 9999;
		q.message->chat = root_chat;
		q.data = data;
		u.callback_query = q;
		h.clock.advance(2s);
		bot->handle(u);
	}
	// Steps the sender every 50 ms of manual time for `total`.
	void run(std::chrono::milliseconds total) {
		for (auto t = 0ms; t < total; t += 50ms) {
			(void)sender->step();
			h.clock.advance(50ms);
		}
	}
	int received(int64_t chat, const std::string& text) {
		int n = 0;
		for (const auto& m : fake.messages(chat))
			n += m.value("text", "") == text;
		return n;
	}
};

} // namespace

// Preview, Send pressed twice, a restart, Send again: only the users who may get it get it, once.
TEST_F(Broadcast, PreviewsThenSendsOncePerUser) {
	add_carol_and_dave();
	for (int64_t id : {root.id, bob.id, carol.id, dave.id})
		fake.add_chat({id, "private"});

	auto r = h.say(root, root_chat, "/broadcast");
	EXPECT_TRUE(has(one(r), "followed by the text"));
	const std::string text = "Maintenance tonight <22:00 UTC> & tomorrow.\nSorry!";
	r = h.say(root, root_chat, "/broadcast " + text);
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].text,
	          "📣 <b>Broadcast to 2 users.</b> They will get exactly this:\n\n" + escape_html(text));
	std::string send = button(r[0], "Send to 2");
	ASSERT_FALSE(send.empty());
	EXPECT_FALSE(button(r[0], "Cancel").empty());
	EXPECT_EQ(h.store->outbox_depth().value(), 0u) << "nothing queued before Send";

	restart();
	press(send);
	press(send); // a double press
	run(3s);
	EXPECT_EQ(received(root.id, text), 1);
	EXPECT_EQ(received(bob.id, text), 1);
	EXPECT_EQ(received(carol.id, text), 0) << "blocked the bot";
	EXPECT_EQ(received(dave.id, text), 0) << "banned";
	auto answers = fake.calls("answerCallbackQuery");
	ASSERT_EQ(answers.size(), 2u);
	EXPECT_EQ(answers[1].params.value("text", ""), "Already queued.");
	auto edits = fake.calls("editMessageText");
	ASSERT_GE(edits.size(), 1u);
	EXPECT_EQ(edits[0].params.value("text", ""), "📣 Broadcast queued for 2 users.");

	restart();
	press(send);
	run(3s);
	EXPECT_EQ(received(root.id, text), 1);
	EXPECT_EQ(received(bob.id, text), 1);
	EXPECT_EQ(h.store->outbox_depth().value(), 0u);

	// Cancel: the draft can no longer be sent.
	r = h.say(root, root_chat, "/broadcast second");
	std::string cancel = button(r[0], "Cancel"), send2 = button(r[0], "Send");
	r = h.press(root, root_chat, cancel);
	EXPECT_EQ(r[0].text, "Cancelled.");
	r = h.press(root, root_chat, send2);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "no longer valid"));
	EXPECT_EQ(h.store->outbox_depth().value(), 0u);
}

// A broadcast to 200 users goes out at 20 a second, under the sender's 30 a second overall, and a
// reply queued after it is not held up behind it.
TEST_F(Broadcast, LeavesRoomForRepliesAndAlerts) {
	for (int64_t id = 5000; id < 5198; ++id) {
		store::User u;
		u.telegram_id = id;
		u.created_ms = h.clock.unix_millis();
		ASSERT_TRUE(h.store->create_user(u).value());
		fake.add_chat({id, "private"});
	}
	fake.add_chat({root.id, "private"});
	fake.add_chat({bob.id, "private"});
	auto r = h.say(root, root_chat, "/broadcast Hello");
	std::string send = button(r.back(), "Send to 200");
	ASSERT_FALSE(send.empty()) << transcript(r);
	restart();
	press(send);
	sender->send(Reply{.chat_id = bob.id, .text = "web1 is offline"});
	run(1s);
	EXPECT_EQ(received(bob.id, "web1 is offline"), 1) << "the alert went out within a second";
	size_t first_second = fake.calls("sendMessage").size();
	EXPECT_GE(first_second, 15u);
	EXPECT_LE(first_second, 31u) << "30 a second overall (the burst included)";
	run(4s);
	size_t five_seconds = fake.calls("sendMessage").size();
	EXPECT_GE(five_seconds, 90u);
	EXPECT_LE(five_seconds, 110u) << "20 a second";
	run(6s);
	int all = 0;
	for (int64_t id = 5000; id < 5198; ++id)
		all += received(id, "Hello");
	EXPECT_EQ(all + received(root.id, "Hello") + received(bob.id, "Hello"), 200);
	std::cout << "sendMessage calls: " << first_second << " after 1 s, " << five_seconds << " after 5 s\n";
}

TEST_F(Admin, BroadcastOverOneMessageIsRefused) {
	std::string text(kMaxMessageUnits - 10, 'a');
	text += "<<<<<<<<<<"; // 4096 characters, escaped to more bytes but the same length
	auto r = h.say(root, root_chat, "/broadcast " + text);
	ASSERT_GE(r.size(), 1u);
	std::cout << transcript(r);
	EXPECT_EQ(r.size(), 2u) << "heading and text are two messages, the buttons under the second";
	EXPECT_TRUE(has(r[0].text, "Broadcast to 2 users")) << "4096 characters fit";
	EXPECT_FALSE(button(r.back(), "Send").empty());
	r = h.say(root, root_chat, "/broadcast " + text + "!");
	EXPECT_EQ(one(r), "That is too long for one message: 4096 characters at most.");
}

TEST_F(Admin, FleetSumsUpAStoreOfKnownContents) {
	// Users: root, bob, carol (blocked the bot), dave (banned).
	add_carol_and_dave();
	// Servers: a and b report every 2 s for the last 2 minutes (60 reports each, 30 each in the
	// last minute), c reported 10 minutes ago, d never.
	int64_t now = h.clock.unix_millis();
	std::vector<store::IngestBatch> batches;
	for (const char* name : {"a", "b", "c", "d"}) {
		uint64_t id = h.store->create_server(bob.id, name, SigningKey{}, now - 3'600'000).value();
		store::IngestBatch b{id, {}, now, std::nullopt};
		b.batch.stream = fmt::format("{:016x}", static_cast<unsigned>(name[0]));
		b.batch.agent_version = "0.1.0";
		if (name[0] == 'a' || name[0] == 'b') {
			for (int k = 1; k <= 60; ++k) {
				Report rep;
				rep.seq = static_cast<uint64_t>(k);
				rep.time_ms = now - 120'000 + k * 2000 - 1000;
				b.batch.reports.push_back(rep);
			}
		} else if (name[0] == 'c') {
			Report rep;
			rep.seq = 1;
			rep.time_ms = now - 600'000;
			b.batch.reports.push_back(rep);
			b.received_ms = now - 600'000;
		} else {
			continue;
		}
		batches.push_back(std::move(b));
	}
	ASSERT_TRUE(h.store->append(batches).ok());
	EXPECT_EQ(h.store->count_reports_since(now - 60'000).value(), 60u);
	EXPECT_EQ(h.store->count_reports_since(now - 3'600'000).value(), 121u);
	// The outbox: one message queued 12 s ago.
	store::OutboxMessage m;
	m.chat_id = bob.id;
	m.payload = "hello";
	m.created_ms = m.next_attempt_ms = now - 12'000;
	h.store->enqueue_message(m).value();
	EXPECT_EQ(h.store->oldest_queued_ms().value(), now - 12'000);

	h.step = 0s;
	std::string text = one(h.say(root, root_chat, "/fleet"));
	std::cout << text << "\n";
	EXPECT_TRUE(has(text, "<b>Fleet</b>\n"));
	EXPECT_TRUE(has(text, "Users: 4 · 1 blocked the bot · 1 banned"));
	EXPECT_TRUE(has(text, "Servers: 4 · 2 reporting · 1 offline · 1 never reported"));
	EXPECT_TRUE(has(text, "Reports: 1.0/s (60 in the last minute)")) << "60 reports in 60 s";
	EXPECT_TRUE(has(text, "Database: ")) << text;
	EXPECT_TRUE(has(text, "Outbox: 1 queued, oldest 12 s"));

	// In Chinese.
	auto root_user = h.store->find_user(root.id).value().value();
	root_user.language = "zh-hans";
	ASSERT_TRUE(h.store->update_user(root_user).value());
	text = one(h.say(root, root_chat, "/fleet"));
	std::cout << text << "\n";
	EXPECT_TRUE(has(text, "<b>全局概况</b>"));
	EXPECT_TRUE(has(text, "服务器：4 · 2 正在上报 · 1 离线 · 1 从未上报"));
	EXPECT_TRUE(has(text, "上报：1.0 次/秒（最近一分钟 60 次）"));
	std::string users = one(h.say(root, root_chat, "/users"));
	std::cout << users << "\n";
	EXPECT_TRUE(has(users, "<b>用户</b>：4 · 第 1/1 页"));
	EXPECT_TRUE(has(users, "已封禁 · 0 台服务器")) << users;
	EXPECT_EQ(one(h.say(root, group, "/users")), "请在与我的私聊中使用此命令。");
}

TEST_F(Admin, DeepLinksRunTheirCommand) {
	// add: asks for the name; add_NAME: adds it at once.
	auto r = h.say(bob, bob_chat, "/start add");
	std::cout << transcript(r);
	EXPECT_TRUE(has(one(r), "Send a name for the new server"));
	EXPECT_EQ(one(h.say(bob, bob_chat, "/cancel")), "Cancelled.");
	r = h.say(bob, bob_chat, "/start add_web1");
	std::cout << transcript(r);
	EXPECT_TRUE(has(one(r), "<b>web1</b> added"));
	uint64_t web1 = h.server_id(bob.id, "web1");
	ASSERT_NE(web1, 0u);
	// stat_ID: bob's own server opens; root's link to it is refused like a typed /stat.
	r = h.say(bob, bob_chat, fmt::format("/start stat_{}", web1));
	std::cout << transcript(r);
	EXPECT_TRUE(has(one(r), "web1"));
	EXPECT_FALSE(has(r[0].text, "Welcome"));
	auto eve = tg_user(1009, "Eve");
	r = h.say(eve, private_chat(eve), fmt::format("/start stat_{}", web1));
	std::cout << transcript(r);
	EXPECT_FALSE(has(one(r), "web1")) << "another chat's server stays hidden";
	// help runs /help; threshold and notify run theirs when they exist, else the greeting.
	EXPECT_TRUE(has(one(h.say(bob, bob_chat, "/start help")), "<b>Commands</b>"));
	for (const char* p : {"bogus", "add_", "stat_", "add_a b", "a!b", "ADD"})
		EXPECT_TRUE(has(one(h.say(bob, bob_chat, std::string("/start ") + p)), "Welcome")) << p;
	// threshold and notify run those commands (found in the router).
	r = h.say(bob, bob_chat, "/start threshold");
	std::cout << transcript(r);
	EXPECT_TRUE(has(one(r), "Alert thresholds")) << r[0].text;
	r = h.say(bob, bob_chat, "/start notify");
	std::cout << transcript(r);
	EXPECT_TRUE(has(one(r), "Notifications")) << r[0].text;
	EXPECT_TRUE(has(one(h.say(bob, bob_chat, "/start " + std::string(65, 'a'))), "Welcome"))
	    << "over 64 characters is not a payload";
	// ?startgroup=add_web2 arrives in the group as /start@bot add_web2: the group owns the server.
	h.admins.admins.insert({group.id, bob.id});
	r = h.say(bob, group, "/start@SanBot add_web2");
	std::cout << transcript(r);
	EXPECT_TRUE(has(one(r), "<b>web2</b> added"));
	EXPECT_NE(h.server_id(group.id, "web2"), 0u);
	// In Chinese.
	auto li = tg_user(1010, "Li", "zh-hans");
	r = h.say(li, private_chat(li), "/start add");
	std::cout << transcript(r);
	EXPECT_FALSE(has(one(r), "Send a name")) << "answered in Chinese: " << r[0].text;
}

// Someone who becomes admin gets the admin menu at their next /start, without a restart; others
// never do, and a group's /start does not touch it.
TEST_F(Admin, AnAdminsStartRefreshesTheirMenu) {
	std::vector<std::pair<int64_t, Lang>> menus;
	h.settings.admin_menu = [&](int64_t chat, Lang lang) { menus.emplace_back(chat, lang); };
	h.start();
	h.say(bob, bob_chat, "/start");
	h.say(root, group, "/start");
	EXPECT_TRUE(menus.empty());
	h.say(root, root_chat, "/start add_web1"); // a deep link is a /start too
	ASSERT_EQ(menus.size(), 1u);
	EXPECT_EQ(menus[0], std::pair(root.id, Lang::en));
	ASSERT_TRUE(h.store->set_user_role(bob.id, "admin").value()); // the CLI's user set-role
	auto zh = h.store->find_user(bob.id).value().value();
	zh.language = "zh-hans";
	ASSERT_TRUE(h.store->update_user(zh).value());
	h.say(bob, bob_chat, "/start");
	ASSERT_EQ(menus.size(), 2u);
	EXPECT_EQ(menus[1], std::pair(bob.id, Lang::zh));
}

// Admins see the admin commands in Telegram's "/" menu of their own chat only.
TEST(AdminMenu, SetForTheAdminsChatOnly) {
	fake_telegram::FakeBotApi fake;
	telegram::ClientOptions o;
	o.api_url = fake.base_url();
	o.token = fake.token();
	telegram::ApiClient api(o);
	auto has_command = [](const std::vector<telegram::BotCommand>& menu, const std::string& name) {
		return std::any_of(menu.begin(), menu.end(), [&](const auto& c) { return c.command == name; });
	};
	EXPECT_FALSE(has_command(command_menu(Lang::en), "ban"));
	EXPECT_TRUE(has_command(command_menu(Lang::en, true), "ban"));
	EXPECT_TRUE(has_command(command_menu(Lang::en, true), "fleet"));
	ASSERT_TRUE(api.set_my_commands(command_menu(Lang::zh, true), "", 1001).ok());
	auto calls = fake.calls("setMyCommands");
	ASSERT_EQ(calls.size(), 1u);
	EXPECT_EQ(calls[0].params["scope"], (nlohmann::json{{"type", "chat"}, {"chat_id", 1001}}));
	EXPECT_TRUE(calls[0].params.dump().find("\u5c01\u7981") != std::string::npos ||
	            calls[0].params.dump().find("封禁") != std::string::npos)
	    << "the admin's language: " << calls[0].params.dump();
}
