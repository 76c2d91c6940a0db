// Each command of the dispatch slice, read as a chat: what the user sends, what the bot answers,
// and what the store holds afterwards.
#include <iostream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/core/token.h"
#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct Commands : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(1001, "Alice");
	telegram::Chat alice_chat = private_chat(alice);

	// One reply expected: its text.
	std::string one(const std::vector<Reply>& r) {
		EXPECT_EQ(r.size(), 1u) << transcript(r);
		return r.empty() ? "" : r[0].text;
	}
};

} // namespace

TEST_F(Commands, StartRegistersGreetsAndHelpListsCommands) {
	auto r = h.say(alice, alice_chat, "/start");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].chat_id, alice.id);
	EXPECT_TRUE(has(r[0].text, "Welcome to ServerSan, Alice!")) << r[0].text;
	auto u = h.store->find_user(alice.id).value();
	ASSERT_TRUE(u);
	EXPECT_EQ(u->username, "u1001");
	EXPECT_EQ(u->display_name, "Alice");
	EXPECT_EQ(u->role, "user");
	EXPECT_EQ(u->language, "en");

	std::string help = one(h.say(alice, alice_chat, "/help"));
	std::cout << help << "\n";
	EXPECT_TRUE(has(help, "/add – Add a server and get its install line")) << help;
	EXPECT_TRUE(has(help, "/cancel")) << help;
	EXPECT_FALSE(has(help, "/ban")) << "admin commands are for admins only";

	// A deep link with a payload no one defined: the plain greeting (bot_admin_test has the links).
	std::string deep = one(h.say(alice, alice_chat, "/start bogus-payload"));
	EXPECT_TRUE(has(deep, "Welcome")) << deep;
}

TEST_F(Commands, ConfiguredAdminsBecomeAdminsAndSeeAdminHelp) {
	h.settings.admins = {alice.id};
	h.start();
	h.say(alice, alice_chat, "/start");
	EXPECT_EQ(h.store->find_user(alice.id).value()->role, "admin");
	std::string help = one(h.say(alice, alice_chat, "/help"));
	EXPECT_TRUE(has(help, "/add")) << help;
	EXPECT_TRUE(has(help, "<b>Admin</b>\n/users")) << help;
	EXPECT_TRUE(has(help, "/ban – Ban a user")) << help;
	EXPECT_TRUE(has(help, "/threshold")) << help;
}

TEST_F(Commands, ChineseFromLanguageCodeAndLanguageSwitch) {
	auto bob = tg_user(1002, "Bob", "zh-hans");
	auto r = h.say(bob, private_chat(bob), "/start");
	std::cout << transcript(r);
	EXPECT_TRUE(has(one(r), "欢迎使用 ServerSan")) << transcript(r);
	EXPECT_EQ(h.store->find_user(bob.id).value()->language, "zh-hans");

	r = h.say(bob, private_chat(bob), "/language");
	ASSERT_EQ(r.size(), 1u);
	std::string en = button(r[0], "English");
	EXPECT_EQ(en, "lang:en");
	r = h.press(bob, private_chat(bob), en);
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 2u) << transcript(r);
	EXPECT_EQ(r[0].kind, Reply::Kind::edit_text);
	EXPECT_EQ(r[0].text, "Language: English.");
	EXPECT_EQ(r[1].kind, Reply::Kind::answer_callback);
	EXPECT_EQ(h.store->find_user(bob.id).value()->language, "en");
	// /start keeps the language the user chose over Telegram's language_code.
	EXPECT_TRUE(has(one(h.say(bob, private_chat(bob), "/start")), "Welcome"));

	// A forged language is a stale button, nothing changes.
	r = h.press(bob, private_chat(bob), "lang:xx");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
	EXPECT_EQ(h.store->find_user(bob.id).value()->language, "en");
}

TEST_F(Commands, ChineseTranscript) {
	auto li = tg_user(1003, "李", "zh-CN");
	auto chat = private_chat(li);
	std::vector<Reply> all;
	for (const char* text :
	     {"/add", "东京 1", "/list", "/delete", "/timezone asia/shanghai", "/cancel", "你好"}) {
		auto r = h.say(li, chat, text);
		all.insert(all.end(), r.begin(), r.end());
	}
	std::cout << transcript(all);
	ASSERT_EQ(all.size(), 7u);
	EXPECT_EQ(all[0].text, "请发送新服务器的名称（最多 64 个字符），或发送 /cancel 取消。");
	EXPECT_TRUE(has(all[1].text, "✅ 已添加 <b>东京 1</b>。")) << all[1].text;
	EXPECT_TRUE(has(all[1].text, "30 分钟内未收到上报")) << all[1].text;
	EXPECT_EQ(all[2].text, "<b>服务器</b>（1 台）\n⚪ <b>东京 1</b> · 等待首次上报");
	EXPECT_EQ(all[3].text, "要删除哪台服务器？");
	EXPECT_EQ(button(all[3], "取消"), "x");
	EXPECT_EQ(all[4].text, "时区已设为 <b>Asia/Shanghai</b>");
	EXPECT_EQ(all[5].text, "当前没有进行中的操作。");
	EXPECT_TRUE(has(all[6].text, "/help")) << all[6].text;
}

TEST_F(Commands, TimezoneValidatedAgainstZoneinfo) {
	std::string t = one(h.say(alice, alice_chat, "/timezone europe/berlin"));
	EXPECT_EQ(t, "Time zone: <b>Europe/Berlin</b>");
	EXPECT_EQ(h.store->find_user(alice.id).value()->time_zone, "Europe/Berlin");

	t = one(h.say(alice, alice_chat, "/timezone ../../etc/passwd"));
	EXPECT_TRUE(has(t, "is not a time zone I know")) << t;
	EXPECT_EQ(h.store->find_user(alice.id).value()->time_zone, "Europe/Berlin");

	// Without a name: the current one, then the next text is the answer.
	t = one(h.say(alice, alice_chat, "/timezone"));
	EXPECT_TRUE(has(t, "Europe/Berlin")) << t;
	t = one(h.say(alice, alice_chat, "Mars/Olympus"));
	EXPECT_TRUE(has(t, "Mars/Olympus</b> is not a time zone")) << t;
	t = one(h.say(alice, alice_chat, "Asia/Shanghai"));
	EXPECT_EQ(t, "Time zone: <b>Asia/Shanghai</b>");
	// The dialog is over: free text is a hint again.
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "UTC")), "Send a command"));
}

TEST_F(Commands, AddHandsOutTheInstallLineAndListShowsState) {
	auto r = h.say(alice, alice_chat, "/add  web<1> ");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(r[0].disable_link_preview);
	EXPECT_TRUE(has(r[0].text, "<b>web&lt;1&gt;</b> added")) << r[0].text;
	EXPECT_TRUE(has(r[0].text, "curl -fsSL https://mon.example.com/install.sh | sudo sh -s -- "))
	    << r[0].text;
	EXPECT_TRUE(has(r[0].text, "30 minutes")) << r[0].text;
	uint64_t id = h.server_id(alice.id, "web<1>");
	ASSERT_NE(id, 0u);
	auto token = parse_token(token_in(r[0].text));
	ASSERT_TRUE(token.ok()) << r[0].text;
	EXPECT_EQ(h.store->find_server(id).value()->signing_key, derive_signing_key(*token));

	// Without a name: asked, then the name.
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "/add")), "Send a name"));
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, std::string(70, 'x'))), "too long"));
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "db\x01")), "control"));
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "db")), "<b>db</b> added"));

	// /list: never reported, online, offline for 2 hours.
	uint64_t db = h.server_id(alice.id, "db");
	store::IngestBatch b;
	b.server_id = db;
	b.received_ms = h.clock.unix_millis();
	b.batch.stream = "0123456789abcdef";
	b.batch.agent_version = "0.1.0";
	b.batch.reports.push_back(serversan::testing::sample_report(1, h.clock.unix_millis()));
	ASSERT_TRUE(h.store->append({b}).ok());
	std::string list = one(h.say(alice, alice_chat, "/list"));
	std::cout << list << "\n";
	EXPECT_TRUE(has(list, "<b>Servers</b> (2)")) << list;
	EXPECT_TRUE(has(list, "⚪ <b>web&lt;1&gt;</b> · waiting for the first report")) << list;
	EXPECT_TRUE(has(list, "🟢 <b>db</b> · online")) << list;
	h.clock.advance(std::chrono::hours(2));
	list = one(h.say(alice, alice_chat, "/list"));
	EXPECT_TRUE(has(list, "🔴 <b>db</b> · offline · last seen 2 h ago")) << list;
}

TEST_F(Commands, AddRefusesPastTheLimit) {
	for (int i = 0; i < 5; ++i)
		EXPECT_TRUE(has(one(h.say(alice, alice_chat, "/add s" + std::to_string(i))), "added"));
	std::string t = one(h.say(alice, alice_chat, "/add s5"));
	EXPECT_TRUE(has(t, "limit of 5 servers")) << t;
	EXPECT_EQ(h.store->servers_of(alice.id).value().size(), 5u);
}

TEST_F(Commands, DeleteWithButtonsAndConfirmation) {
	h.say(alice, alice_chat, "/add web1");
	uint64_t id = h.server_id(alice.id, "web1");
	auto r = h.say(alice, alice_chat, "/delete");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	std::string pick = button(r[0], "web1");
	EXPECT_EQ(pick, "del:" + std::to_string(id));
	r = h.press(alice, alice_chat, pick);
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 2u);
	EXPECT_TRUE(has(r[0].text, "Delete <b>web1</b> and all its data?"));
	std::string yes = button(r[0], "Delete");
	EXPECT_EQ(yes, "delok:" + std::to_string(id));
	EXPECT_TRUE(h.store->find_server(id).value()) << "nothing deleted before the confirmation";
	r = h.press(alice, alice_chat, yes);
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 2u);
	EXPECT_EQ(r[0].kind, Reply::Kind::edit_text);
	EXPECT_TRUE(has(r[0].text, "<b>web1</b> deleted"));
	EXPECT_TRUE(has(r[0].text, "install.sh | sudo sh -s -- --uninstall")) << r[0].text;
	EXPECT_FALSE(h.store->find_server(id).value());
	// The same confirmation again: stale, said politely.
	r = h.press(alice, alice_chat, yes);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
	EXPECT_TRUE(has(r[0].text, "not in this chat"));
}

TEST_F(Commands, DeleteCancelledAndTypedName) {
	h.say(alice, alice_chat, "/add web1");
	auto r = h.say(alice, alice_chat, "/delete WEB1");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Delete <b>web1</b>")) << transcript(r);
	r = h.press(alice, alice_chat, button(r[0], "Cancel"));
	EXPECT_EQ(r[0].text, "Cancelled.");
	EXPECT_NE(h.server_id(alice.id, "web1"), 0u);
	// A name with spaces, typed whole.
	h.say(alice, alice_chat, "/add front end");
	r = h.say(alice, alice_chat, "/delete Front End");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Delete <b>front end</b>")) << transcript(r);
}

TEST_F(Commands, PickerKeepsUnderTelegramsButtonLimit) {
	h.settings.max_servers_per_user = 0; // no limit
	h.start();
	for (int i = 0; i < 120; ++i)
		ASSERT_TRUE(store::enroll_server(*h.store, alice.id, fmt::format("s{}", i), 0).ok());
	auto r = h.say(alice, alice_chat, "/delete");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "Only the first 98 are shown")) << r[0].text;
	size_t buttons = 0;
	for (const auto& row : *r[0].keyboard)
		buttons += row.size();
	EXPECT_EQ(buttons, 99u);
	// The ones without a button are reached by name.
	r = h.say(alice, alice_chat, "/delete s119");
	EXPECT_TRUE(has(r[0].text, "Delete <b>s119</b>")) << r[0].text;
}

TEST_F(Commands, RenameTypedAndByDialog) {
	h.say(alice, alice_chat, "/add web1");
	uint64_t id = h.server_id(alice.id, "web1");
	EXPECT_EQ(one(h.say(alice, alice_chat, "/rename web1 front end")),
	          "✏️ <b>web1</b> is now <b>front end</b>.");
	auto r = h.say(alice, alice_chat, "/rename");
	r = h.press(alice, alice_chat, button(r[0], "front end"));
	std::cout << transcript(r);
	EXPECT_TRUE(has(r[0].text, "Send the new name for <b>front end</b>"));
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "   ")), "cannot be empty"));
	EXPECT_EQ(one(h.say(alice, alice_chat, "api & <b>")),
	          "✏️ <b>front end</b> is now <b>api &amp; &lt;b&gt;</b>.");
	EXPECT_EQ(h.store->find_server(id).value()->name, "api & <b>");
}

TEST_F(Commands, CancelEndsDialogsAndANewCommandToo) {
	h.say(alice, alice_chat, "/add");
	EXPECT_EQ(one(h.say(alice, alice_chat, "/cancel")), "Cancelled.");
	EXPECT_EQ(one(h.say(alice, alice_chat, "/cancel")), "Nothing to cancel.");
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "web1")), "Send a command")) << "no dialog: a hint";
	h.say(alice, alice_chat, "/add");
	h.say(alice, alice_chat, "/list"); // a new command ends the /add dialog
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "web1")), "Send a command"));
	EXPECT_TRUE(h.store->servers_of(alice.id).value().empty());
	// A dialog expires after 10 minutes.
	h.say(alice, alice_chat, "/add");
	h.clock.advance(std::chrono::minutes(11));
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "web1")), "Send a command"));
}

TEST_F(Commands, ReinstallRotatesTheTokenAtOnce) {
	auto r = h.say(alice, alice_chat, "/add web1");
	auto old_token = parse_token(token_in(r[0].text)).value();
	uint64_t id = h.server_id(alice.id, "web1");
	r = h.say(alice, alice_chat, "/reinstall web1");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "stops reporting at once")) << r[0].text;
	r = h.press(alice, alice_chat, button(r[0], "New token"));
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 2u);
	EXPECT_TRUE(r[0].disable_link_preview);
	auto fresh = parse_token(token_in(r[0].text));
	ASSERT_TRUE(fresh.ok()) << r[0].text;
	auto key = h.store->find_server(id).value()->signing_key;
	EXPECT_EQ(key, derive_signing_key(*fresh));
	EXPECT_NE(key, derive_signing_key(old_token));
}

TEST_F(Commands, UnknownCommandAndFreeTextGetAHint) {
	EXPECT_EQ(one(h.say(alice, alice_chat, "/frobnicate")), "Unknown command. /help lists them all.");
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "hello")), "/add"));
}
