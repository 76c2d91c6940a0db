// /notify read as a chat: the settings screen, every typed form and what the store holds after it,
// buttons that change the screen in place, a group where members look and admins change, the
// group's own time zone, and snoozes and mutes listed and lifted.
#include <iostream>

#include <gtest/gtest.h>

#include "serversan/server/bot/chat_locale.h"
#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct Notify : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(1001, "Alice");
	telegram::User bob = tg_user(1002, "Bob");
	telegram::Chat alice_chat = private_chat(alice);
	telegram::Chat group = group_chat(-100500);
	std::vector<Reply> log; // everything, printed at the end as the chat reads

	void SetUp() override { h.step = std::chrono::seconds(2); }
	void TearDown() override { std::cout << transcript(log); }

	std::vector<Reply> say(const telegram::User& u, const telegram::Chat& c, const std::string& text) {
		log.push_back(Reply{Reply::Kind::send, c.id, {}, {}, "← " + u.first_name + ": " + text});
		auto r = h.say(u, c, text);
		log.insert(log.end(), r.begin(), r.end());
		return r;
	}
	std::vector<Reply> press(const telegram::User& u, const telegram::Chat& c, const std::string& data) {
		log.push_back(Reply{Reply::Kind::send, c.id, {}, {}, "← " + u.first_name + " presses " + data});
		auto r = h.press(u, c, data, 77);
		log.insert(log.end(), r.begin(), r.end());
		return r;
	}
	// One reply expected: its text.
	std::string one(const std::vector<Reply>& r) {
		EXPECT_EQ(r.size(), 1u) << transcript(r);
		return r.empty() ? "" : r[0].text;
	}
	store::ChatSettings stored(int64_t chat) { return h.store->chat_settings(chat).value(); }
	uint64_t add_silence(int64_t chat, std::optional<uint64_t> server, std::string kind,
	                     std::optional<int64_t> until_ms) {
		store::AlertSilence s;
		s.chat_id = chat;
		s.server_id = server;
		s.kind = std::move(kind);
		s.until_ms = until_ms;
		s.created_ms = h.clock.unix_millis();
		s.created_by = chat;
		return h.store->add_silence(s).value();
	}
	int64_t now() { return h.clock.unix_millis(); }
};

// The edit of message 77 and the callback answer: the screen after a press.
Reply edited(const std::vector<Reply>& r) {
	for (const Reply& x : r)
		if (x.kind == Reply::Kind::edit_text) {
			EXPECT_EQ(x.message_id, 77);
			return x;
		}
	ADD_FAILURE() << "no edit:\n" << transcript(r);
	return {};
}

size_t count_buttons(const Reply& r) {
	size_t n = 0;
	if (r.keyboard)
		for (const auto& row : *r.keyboard) {
			EXPECT_LE(row.size(), 3u);
			n += row.size();
		}
	return n;
}

} // namespace

TEST_F(Notify, ScreenShowsTheDefaults) {
	auto r = say(alice, alice_chat, "/notify");
	ASSERT_EQ(r.size(), 1u);
	const std::string& t = r[0].text;
	EXPECT_EQ(t, "🔔 <b>Notifications</b>: on\n"
	             "All alert kinds on\n"
	             "🌙 Quiet hours: none\n"
	             "🔈 Warnings: with sound\n"
	             "🔁 Reminder while firing: every 4 h\n"
	             "📰 Daily digest: off");
	// Main switch, 11 kinds two a row, quiet/reminder, critical/silent, digest.
	EXPECT_EQ(count_buttons(r[0]), 1u + 11u + 2u + 2u + 1u);
	EXPECT_EQ(button(r[0], "CPU"), "nt:k:cpu:0");
	EXPECT_EQ(button(r[0], "Net out"), "nt:k:net_out:0");
	EXPECT_EQ(button(r[0], "Offline"), "nt:k:offline:0");
	EXPECT_EQ(button(r[0], "All notifications"), "nt:off");
	EXPECT_EQ((*r[0].keyboard)[0].size(), 1u);
	EXPECT_EQ((*r[0].keyboard)[1][0].callback_data, "nt:k:cpu:0");
	EXPECT_EQ((*r[0].keyboard)[1].size(), 2u);
	// Nothing stored by looking.
	EXPECT_EQ(stored(alice.id).updated_ms, 0);
}

TEST_F(Notify, EveryTypedFormIsStored) {
	auto saved = [&](const std::string& cmd) {
		std::string t = one(say(alice, alice_chat, cmd));
		EXPECT_TRUE(has(t, "✅ Saved.")) << cmd << "\n" << t;
		EXPECT_EQ(stored(alice.id).updated_ms, now()) << cmd;
		return t;
	};
	saved("/notify off");
	EXPECT_FALSE(stored(alice.id).notify);
	EXPECT_TRUE(has(saved("/notify on"), "<b>Notifications</b>: on"));
	EXPECT_TRUE(stored(alice.id).notify);

	saved("/notify cpu off");
	std::string t = saved("/notify TEMP off");
	EXPECT_EQ(stored(alice.id).muted_kinds, (std::vector<std::string>{"cpu", "temp"}));
	EXPECT_TRUE(has(t, "Off: CPU, Temperature")) << t;
	saved("/notify cpu on");
	EXPECT_EQ(stored(alice.id).muted_kinds, (std::vector<std::string>{"temp"}));
	EXPECT_TRUE(has(saved("/notify all off"), "All alert kinds off"));
	EXPECT_EQ(stored(alice.id).muted_kinds.size(), 11u);
	saved("/notify all on");
	EXPECT_TRUE(stored(alice.id).muted_kinds.empty());

	t = saved("/notify quiet 23:00-07:00");
	EXPECT_EQ(stored(alice.id).quiet_from_min, 23 * 60);
	EXPECT_EQ(stored(alice.id).quiet_to_min, 7 * 60);
	EXPECT_TRUE(has(t, "🌙 Quiet hours: 23:00–07:00 (UTC), critical alerts get through")) << t;
	saved("/notify quiet 22:30 - 6");
	EXPECT_EQ(stored(alice.id).quiet_from_min, 22 * 60 + 30);
	EXPECT_EQ(stored(alice.id).quiet_to_min, 6 * 60);
	t = saved("/notify critical off");
	EXPECT_FALSE(stored(alice.id).quiet_lets_critical);
	EXPECT_TRUE(has(t, "22:30–06:00 (UTC), all alerts held")) << t;
	saved("/notify quiet off");
	EXPECT_FALSE(stored(alice.id).quiet_from_min);
	EXPECT_FALSE(stored(alice.id).quiet_to_min);

	EXPECT_TRUE(has(saved("/notify silent on"), "🔇 Warnings: silent"));
	EXPECT_TRUE(stored(alice.id).silent_warnings);

	EXPECT_TRUE(has(saved("/notify reminder 30m"), "every 30 min"));
	EXPECT_EQ(stored(alice.id).reminder_s, 1800);
	saved("/notify reminder 1h30m");
	EXPECT_EQ(stored(alice.id).reminder_s, 5400);
	EXPECT_TRUE(has(saved("/notify reminder off"), "Reminder while firing: off"));
	EXPECT_EQ(stored(alice.id).reminder_s, 0);

	EXPECT_TRUE(has(saved("/notify digest 9"), "📰 Daily digest: 09:00 (UTC)"));
	EXPECT_EQ(stored(alice.id).digest_hour, 9);
	saved("/notify digest 18:00");
	EXPECT_EQ(stored(alice.id).digest_hour, 18);
	saved("/notify digest off");
	EXPECT_FALSE(stored(alice.id).digest_hour);
}

TEST_F(Notify, BadFormsSayWhatIsAcceptedAndChangeNothing) {
	say(alice, alice_chat, "/notify quiet 23:00-07:00");
	auto before = stored(alice.id);
	struct Case {
		const char* typed;
		const char* answer;
	} cases[] = {
	    {"/notify quiet 25:00-07:00", "<code>/notify quiet 23:00-07:00</code>"},
	    {"/notify quiet 7-7", "two different times"},
	    {"/notify quiet", "<code>/notify quiet off</code>"},
	    {"/notify cpu", "<code>/notify cpu off</code>"},
	    {"/notify critical maybe", "<code>on</code> or <code>off</code>"},
	    {"/notify silent", "<code>/notify silent off</code>"},
	    {"/notify reminder 5m", "from 10 min to 7 days"},
	    {"/notify reminder 4x", "<code>/notify reminder 4h</code>"},
	    {"/notify digest 9:30", "a whole hour"},
	    {"/notify digest 24", "a whole hour"},
	    {"/notify lift 3", "no snooze or mute number 3"},
	    {"/notify lift <b>", "number &lt;b&gt;"},
	    {"/notify bogus off",
	     "kinds: cpu, ram, swap, disk, inodes, load, net_in, net_out, io, temp, offline, all"},
	    {"/notify help", "<code>/notify reminder 4h</code>"},
	};
	for (const auto& c : cases) {
		std::string t = one(say(alice, alice_chat, c.typed));
		EXPECT_TRUE(has(t, c.answer)) << c.typed << "\n" << t;
		EXPECT_FALSE(has(t, "Saved")) << c.typed;
	}
	EXPECT_EQ(stored(alice.id), before);
}

TEST_F(Notify, ButtonsChangeTheScreenInPlace) {
	auto r = press(alice, alice_chat, "nt:k:cpu:0");
	Reply e = edited(r);
	EXPECT_EQ(stored(alice.id).muted_kinds, (std::vector<std::string>{"cpu"}));
	EXPECT_TRUE(has(e.text, "Off: CPU")) << e.text;
	EXPECT_EQ(button(e, "CPU"), "nt:k:cpu:1"); // 🔕 CPU, pressing turns it back on
	EXPECT_TRUE(has((*e.keyboard)[1][0].text, "🔕")) << (*e.keyboard)[1][0].text;
	// A double press (or an old copy of the screen) sets the same value again, never flips back.
	press(alice, alice_chat, "nt:k:cpu:0");
	EXPECT_EQ(stored(alice.id).muted_kinds, (std::vector<std::string>{"cpu"}));
	EXPECT_EQ(stored(alice.id).updated_ms, now());

	EXPECT_TRUE(has(edited(press(alice, alice_chat, "nt:off")).text, "Notifications</b>: off"));
	EXPECT_FALSE(stored(alice.id).notify);
	EXPECT_EQ(button(edited(press(alice, alice_chat, "nt:on")), "All notifications"), "nt:off");

	// Quiet hours: a picker, then back to the screen with the choice.
	Reply q = edited(press(alice, alice_chat, "nt:q"));
	EXPECT_TRUE(has(q.text, "Quiet hours</b> (UTC)")) << q.text;
	EXPECT_EQ(button(q, "23:00–08:00"), "nt:q:1380:480");
	EXPECT_EQ(button(q, "Off"), "nt:q:off");
	EXPECT_EQ(button(q, "Back"), "nt:main");
	EXPECT_TRUE(has(edited(press(alice, alice_chat, "nt:q:1380:480")).text, "23:00–08:00 (UTC)"));
	EXPECT_EQ(stored(alice.id).quiet_from_min, 1380);
	EXPECT_EQ(button(edited(press(alice, alice_chat, "nt:q")), "23:00–08:00"), "nt:q:1380:480");
	EXPECT_TRUE(has(edited(press(alice, alice_chat, "nt:q")).keyboard->at(0).at(1).text, "✓ 23:00–08:00"));

	Reply rem = edited(press(alice, alice_chat, "nt:r"));
	EXPECT_EQ(button(rem, "✓ 4 h"), "nt:r:14400");
	press(alice, alice_chat, "nt:r:43200");
	EXPECT_EQ(stored(alice.id).reminder_s, 43200);
	press(alice, alice_chat, "nt:r:0");
	EXPECT_EQ(stored(alice.id).reminder_s, 0);

	Reply dig = edited(press(alice, alice_chat, "nt:d"));
	EXPECT_EQ(button(dig, "09:00"), "nt:d:9");
	EXPECT_TRUE(has(edited(press(alice, alice_chat, "nt:d:9")).text, "Daily digest: 09:00 (UTC)"));
	EXPECT_EQ(stored(alice.id).digest_hour, 9);
	press(alice, alice_chat, "nt:d:off");
	EXPECT_FALSE(stored(alice.id).digest_hour);

	Reply c = edited(press(alice, alice_chat, "nt:c:0"));
	EXPECT_FALSE(stored(alice.id).quiet_lets_critical);
	EXPECT_EQ(button(c, "Critical when quiet"), "nt:c:1");
	press(alice, alice_chat, "nt:s:1");
	EXPECT_TRUE(stored(alice.id).silent_warnings);
	EXPECT_EQ(button(edited(press(alice, alice_chat, "nt:main")), "Silent warnings"), "nt:s:0");

	// Forged data: a toast, nothing stored, nothing edited.
	auto before = stored(alice.id);
	for (const char* data : {"nt:k:bogus:1", "nt:k:cpu:2", "nt:q:5000:1", "nt:q:60:60", "nt:r:5", "nt:r:-1",
	                         "nt:d:24", "nt:d:x", "nt:c:yes", "nt:zz", "nt:l:x"}) {
		auto f = press(alice, alice_chat, data);
		ASSERT_EQ(f.size(), 1u) << data << "\n" << transcript(f);
		EXPECT_EQ(f[0].kind, Reply::Kind::answer_callback) << data;
		EXPECT_EQ(f[0].text, "This button is no longer valid.") << data;
	}
	EXPECT_EQ(stored(alice.id), before);
}

TEST_F(Notify, GroupMembersLookAdminsChange) {
	h.admins.admins.insert({group.id, bob.id});
	// Alice, a member: sees the group's screen, cannot change it by typing or by buttons.
	EXPECT_TRUE(has(one(say(alice, group, "/notify")), "Notifications</b>: on"));
	EXPECT_EQ(one(say(alice, group, "/notify off")), "Only this group's admins can do that.");
	for (const char* data : {"nt:off", "nt:k:cpu:0", "nt:q", "nt:q:0:360", "nt:r", "nt:l:1"}) {
		auto r = press(alice, group, data);
		ASSERT_EQ(r.size(), 1u) << data << "\n" << transcript(r);
		EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
		EXPECT_TRUE(r[0].show_alert);
		EXPECT_EQ(r[0].text, "Only this group's admins can do that.") << data;
	}
	EXPECT_EQ(stored(group.id).updated_ms, 0);
	// Bob, an admin, changes the group's settings; his own chat's are not touched.
	EXPECT_TRUE(has(one(say(bob, group, "/notify off")), "Saved"));
	edited(press(bob, group, "nt:k:disk:0"));
	EXPECT_FALSE(stored(group.id).notify);
	EXPECT_EQ(stored(group.id).muted_kinds, (std::vector<std::string>{"disk"}));
	EXPECT_TRUE(stored(bob.id).notify);
	// Telegram unreachable for the admin check: refused, never allowed on doubt.
	h.admins.unreachable = true;
	say(bob, group, "/notify on");
	EXPECT_FALSE(stored(group.id).notify);
}

TEST_F(Notify, TimezoneInAGroupIsTheGroups) {
	h.admins.admins.insert({group.id, bob.id});
	say(bob, private_chat(bob), "/timezone Asia/Tokyo");
	say(bob, group, "/notify quiet 23:00-07:00");
	// The group is in UTC until it sets a zone, whatever its members' zones are.
	EXPECT_TRUE(has(one(say(bob, group, "/notify")), "23:00–07:00 (UTC)"));

	EXPECT_EQ(one(say(bob, group, "/timezone europe/berlin")),
	          "This group's time zone: <b>Europe/Berlin</b>");
	EXPECT_EQ(stored(group.id).time_zone, "Europe/Berlin");
	EXPECT_EQ(h.store->find_user(bob.id).value()->time_zone, "Asia/Tokyo");
	EXPECT_TRUE(has(one(say(alice, group, "/notify")), "23:00–07:00 (Europe/Berlin)"));

	// A member is shown the zone and not asked for a new one; typing one is refused.
	std::string shown = one(say(alice, group, "/timezone"));
	EXPECT_EQ(shown, "This group's time zone: <b>Europe/Berlin</b>. Its admins can change it.");
	EXPECT_TRUE(say(alice, group, "Asia/Shanghai").empty()) << "no dialog open for a member";
	EXPECT_EQ(one(say(alice, group, "/timezone Asia/Shanghai")), "Only this group's admins can do that.");
	EXPECT_EQ(stored(group.id).time_zone, "Europe/Berlin");

	// An admin without a name is asked, and the answer sets the group's zone.
	EXPECT_TRUE(has(one(say(bob, group, "/timezone")), "Send a new one"));
	EXPECT_EQ(one(say(bob, group, "america/new_york")), "This group's time zone: <b>America/New_York</b>");
	EXPECT_EQ(stored(group.id).time_zone, "America/New_York");

	// In a private chat /timezone is still the user's, and /notify reads it.
	EXPECT_EQ(one(say(alice, alice_chat, "/timezone Asia/Shanghai")), "Time zone: <b>Asia/Shanghai</b>");
	EXPECT_EQ(stored(alice.id).time_zone, "");
	EXPECT_TRUE(
	    has(one(say(alice, alice_chat, "/notify digest 8")), "📰 Daily digest: 08:00 (Asia/Shanghai)"));
}

// A group's language is the group's, set by its admins like its zone: every reply there (whoever
// asks) and what the bot sends it unasked (chat_locale) follow it; a private chat keeps its user's.
TEST_F(Notify, LanguageInAGroupIsTheGroups) {
	h.admins.admins.insert({group.id, bob.id});
	telegram::User li = tg_user(1003, "Li", "zh-hans");
	// No language set: replies in the asker's, alerts in English.
	EXPECT_TRUE(has(one(say(li, group, "/language")), "本群语言：<b>English</b>"));
	EXPECT_EQ(chat_locale(*h.store, group.id).lang, Lang::en);

	// A member sees it without buttons, and a forged press is refused.
	auto shown = say(alice, group, "/language");
	ASSERT_EQ(shown.size(), 1u);
	EXPECT_EQ(shown[0].text, "This group's language: <b>English</b>. Its admins can change it.");
	EXPECT_FALSE(shown[0].keyboard);
	auto refused = press(alice, group, "lang:zh-hans");
	ASSERT_EQ(refused.size(), 1u) << transcript(refused);
	EXPECT_EQ(refused[0].text, "Only this group's admins can do that.");
	EXPECT_EQ(stored(group.id).language, "");

	// An admin gets the buttons; the press sets the group's, not his own.
	shown = say(bob, group, "/language");
	ASSERT_EQ(shown.size(), 1u);
	ASSERT_TRUE(shown[0].keyboard);
	EXPECT_TRUE(has(one(say(bob, group, "/language")), "Choose:"));
	EXPECT_EQ(edited(press(bob, group, "lang:zh-hans")).text,
	          "本群语言已切换为简体中文，告警、每日摘要和回复都将使用中文。");
	EXPECT_EQ(stored(group.id).language, "zh-hans");
	EXPECT_EQ(h.store->find_user(bob.id).value()->language, "en");
	EXPECT_EQ(chat_locale(*h.store, group.id).lang, Lang::zh);

	// Everyone is answered in Chinese there, and in their own language in private.
	EXPECT_TRUE(has(one(say(alice, group, "/notify")), "通知"));
	EXPECT_TRUE(has(one(say(alice, group, "/language")), "本群语言：<b>简体中文</b>。群管理员可以更改。"));
	EXPECT_TRUE(has(one(say(alice, alice_chat, "/notify")), "Notifications"));
	EXPECT_EQ(chat_locale(*h.store, alice.id).lang, Lang::en);

	// Back to English by the same buttons; a private chat's /language is still the user's.
	EXPECT_EQ(edited(press(bob, group, "lang:en")).text,
	          "This group's language: English. Alerts, digests and replies here are in English now.");
	EXPECT_EQ(chat_locale(*h.store, group.id).lang, Lang::en);
	EXPECT_EQ(edited(press(li, private_chat(li), "lang:en")).text, "Language: English.");
	EXPECT_EQ(h.store->find_user(li.id).value()->language, "en");
	EXPECT_EQ(stored(group.id).language, "en");
}

TEST_F(Notify, SilencesListedAndLifted) {
	say(alice, alice_chat, "/timezone Europe/Berlin");
	say(alice, alice_chat, "/add web1");
	say(alice, alice_chat, "/add db <main>");
	say(alice, alice_chat, "/add old");
	uint64_t web1 = h.server_id(alice.id, "web1"), db = h.server_id(alice.id, "db <main>"),
	         old = h.server_id(alice.id, "old");
	int64_t hour = 3'600'000;
	uint64_t snooze = add_silence(alice.id, web1, "cpu", now() + hour);
	uint64_t mute = add_silence(alice.id, db, "", std::nullopt);
	add_silence(alice.id, std::nullopt, "offline", now() + 2 * hour);
	add_silence(alice.id, old, "", std::nullopt);
	add_silence(alice.id, web1, "ram", now() + 60'000); // over before /notify is read
	uint64_t bobs = add_silence(bob.id, std::nullopt, "", std::nullopt);
	ASSERT_TRUE(h.store->delete_server(old).value());
	h.clock.advance(std::chrono::minutes(2));

	auto r = say(alice, alice_chat, "/notify");
	std::string t = one(r);
	// 16:00 UTC + 1 h in Berlin (UTC+1).
	EXPECT_TRUE(has(t, "<b>Snoozed and muted</b>\n"
	                   "1. <b>web1</b> · CPU · until 2025-11-24 18:00 UTC+1\n"
	                   "2. <b>db &lt;main&gt;</b> · all alerts · until it recovers\n"
	                   "3. all servers · Offline · until 2025-11-24 19:00 UTC+1"))
	    << t;
	EXPECT_FALSE(has(t, "4.")) << "the deleted server's mute and the ended snooze are not listed";
	EXPECT_EQ(button(r[0], "Lift 1"), "nt:l:" + std::to_string(snooze));
	EXPECT_EQ(button(r[0], "Lift 2"), "nt:l:" + std::to_string(mute));

	// Bob's silence is not Alice's to lift, even with forged data.
	auto f = press(alice, alice_chat, "nt:l:" + std::to_string(bobs));
	EXPECT_EQ(f[0].text, "This button is no longer valid.");
	EXPECT_EQ(h.store->silences(bob.id, now()).value().size(), 1u);

	auto lifted = press(alice, alice_chat, "nt:l:" + std::to_string(snooze));
	Reply e = edited(lifted);
	EXPECT_TRUE(has(e.text, "1. <b>db &lt;main&gt;</b>")) << e.text;
	EXPECT_TRUE(has(e.text, "✅ Lifted.\n\n")) << e.text;
	// By its number: 2 is now the all-servers snooze.
	t = one(say(alice, alice_chat, "/notify lift 2"));
	EXPECT_TRUE(has(t, "✅ Lifted.")) << t;
	auto left = h.store->silences(alice.id, now()).value();
	ASSERT_EQ(left.size(), 1u);
	EXPECT_EQ(left[0].id, mute);
	// Lifting the same one twice: the second press is stale, the screen is redrawn.
	press(alice, alice_chat, "nt:l:" + std::to_string(mute));
	auto again = press(alice, alice_chat, "nt:l:" + std::to_string(mute));
	EXPECT_FALSE(has(edited(again).text, "Snoozed")) << transcript(again);
	EXPECT_TRUE(h.store->silences(alice.id, now()).value().empty());
}

TEST_F(Notify, ChineseScreenAndForms) {
	auto li = tg_user(1003, "李", "zh-CN");
	auto chat = private_chat(li);
	say(li, chat, "/timezone Asia/Shanghai");
	std::string t = one(say(li, chat, "/notify quiet 23:00-07:00"));
	EXPECT_TRUE(has(t, "✅ 已保存。")) << t;
	EXPECT_TRUE(has(t, "🌙 免打扰：23:00–07:00（Asia/Shanghai），严重告警照常发送")) << t;
	EXPECT_TRUE(has(t, "🔁 告警持续时：每 4 小时提醒一次")) << t;
	t = one(say(li, chat, "/notify cpu off"));
	EXPECT_TRUE(has(t, "已关闭：CPU")) << t;
	auto r = say(li, chat, "/notify");
	EXPECT_EQ(button(r[0], "内存"), "nt:k:ram:0");
	EXPECT_EQ(button(r[0], "CPU"), "nt:k:cpu:1");
	EXPECT_TRUE(has(one(say(li, chat, "/notify reminder 1x")), "提醒间隔为 10 分钟到 7 天"));
	Reply d = edited(press(li, chat, "nt:d"));
	EXPECT_TRUE(has(d.text, "每日摘要</b>（Asia/Shanghai）")) << d.text;
	EXPECT_EQ(button(d, "返回"), "nt:main");
	EXPECT_TRUE(has(one(say(li, chat, "/help")), "/notify – 告警通知"));
}

TEST_F(Notify, HelpListsNotify) {
	EXPECT_TRUE(
	    has(one(say(alice, alice_chat, "/help")), "/notify – Alerts: on/off, kinds, quiet hours, snoozes"));
}

TEST_F(Notify, ManySilencesKeepUnderTheButtonLimit) {
	for (int i = 0; i < 25; ++i)
		add_silence(alice.id, std::nullopt, "cpu", now() + (i + 1) * 3'600'000);
	auto r = h.say(alice, alice_chat, "/notify");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "\n20. all servers · CPU")) << r[0].text;
	EXPECT_FALSE(has(r[0].text, "\n21. ")) << r[0].text;
	EXPECT_TRUE(has(r[0].text, "… and 5 more (<code>/notify lift N</code>)")) << r[0].text;
	EXPECT_EQ(count_buttons(r[0]), 17u + 20u);
	EXPECT_FALSE(button(r[0], "Lift 20").empty());
	EXPECT_TRUE(button(r[0], "Lift 21").empty());
	// The 25th is reached by its number.
	EXPECT_TRUE(has(one(h.say(alice, alice_chat, "/notify lift 25")), "✅ Lifted."));
	EXPECT_EQ(h.store->silences(alice.id, now()).value().size(), 24u);
}
