// Users, roles, servers of an owner, alert rules and state, chat settings and silences, events
// and the bot's outbox.
#include <limits>
#include <set>

#include <gtest/gtest.h>

#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

struct People : ::testing::Test {
	TempDir dir;
	std::unique_ptr<Store> store;
	void SetUp() override { store = open_sqlite_store(dir.file("s.db")).value(); }
};

User alice() {
	User u;
	u.telegram_id = 1001;
	u.username = "alice";
	u.display_name = "Alice A.";
	u.language = "de";
	u.time_zone = "Europe/Berlin";
	u.created_ms = T0;
	return u;
}

} // namespace

TEST_F(People, UsersAndRoles) {
	User u = alice();
	EXPECT_TRUE(store->create_user(u).value());
	EXPECT_FALSE(store->create_user(u).value()); // exists: unchanged
	EXPECT_EQ(store->find_user(1001).value(), u);
	EXPECT_FALSE(store->find_user(1002).value());

	u.bot_blocked = true;
	u.language = "fr";
	EXPECT_TRUE(store->update_user(u).value());
	EXPECT_EQ(store->find_user(1001).value(), u);
	User ghost = u;
	ghost.telegram_id = 5;
	EXPECT_FALSE(store->update_user(ghost).value());

	EXPECT_TRUE(store->set_user_role(1001, "admin").value());
	EXPECT_EQ(store->find_user(1001).value()->role, "admin");
	EXPECT_FALSE(store->set_user_role(77, "admin").value());
	auto bad_role = store->set_user_role(1001, "emperor");
	ASSERT_FALSE(bad_role.ok());
	EXPECT_NE(bad_role.error().message.find("unknown role \"emperor\""), std::string::npos)
	    << bad_role.error().message;
	User bad = alice();
	bad.telegram_id = 9;
	bad.role = "emperor";
	EXPECT_NE(store->create_user(bad).error().message.find("unknown role"), std::string::npos);

	ASSERT_TRUE(store->put_role({"viewer", {"servers.view"}}).ok());
	ASSERT_TRUE(store->put_role({"user", {"servers.add", "alerts.own"}}).ok());
	auto roles = store->list_roles().value();
	ASSERT_EQ(roles.size(), 4u);
	EXPECT_EQ(roles[2], (Role{"user", {"servers.add", "alerts.own"}}));
	EXPECT_EQ(roles[3].name, "viewer");
	EXPECT_FALSE(store->put_role({"x", {"two words"}}).ok());
	User v = alice();
	v.telegram_id = 3;
	v.role = "viewer";
	ASSERT_TRUE(store->create_user(v).value());
	EXPECT_EQ(store->list_users().value().size(), 2u);
}

TEST_F(People, ServersOfAnOwnerAndRenaming) {
	uint64_t a = store->create_server(int64_t{42}, "a", SigningKey{}, T0).value();
	store->create_server(int64_t{43}, "b", SigningKey{}, T0).value();
	uint64_t c = store->create_server(int64_t{42}, "c", SigningKey{}, T0).value();
	auto mine = store->servers_of(42).value();
	ASSERT_EQ(mine.size(), 2u);
	EXPECT_EQ(mine[0].id, a);
	EXPECT_EQ(mine[1].id, c);
	EXPECT_TRUE(store->rename_server(c, "cache").value());
	EXPECT_EQ(store->find_server(c).value()->name, "cache");
	EXPECT_FALSE(store->rename_server(999, "x").value());
}

// The web asks Telegram only about the groups that own servers and in which the bot noted the
// user; a user's event list takes in theirs.
TEST_F(People, GroupChatsWithServersAndTheirEvents) {
	constexpr int64_t kAlice = 42, kBob = 43;
	EXPECT_TRUE(store->server_group_chats(kAlice).value().empty());
	store->create_server(kAlice, "mine", SigningKey{}, T0).value();
	store->create_server(std::nullopt, "console", SigningKey{}, T0).value();
	for (int64_t g : {int64_t{-7}, int64_t{-100500}, int64_t{-7}})
		store->create_server(g, "g", SigningKey{}, T0).value();
	// Servers in groups, but Alice was never noted in one: none of them are hers to ask about.
	EXPECT_TRUE(store->server_group_chats(kAlice).value().empty());

	// Noted in both groups with servers, in one without servers, and (oddly) in her own chat.
	for (int64_t g : {int64_t{-100500}, int64_t{-7}, int64_t{-300}, kAlice})
		ASSERT_TRUE(store->note_chat_member(g, kAlice, "Ops", T0).ok());
	ASSERT_TRUE(store->note_chat_member(-7, kBob, "Ops team", T0 + 1).ok());
	EXPECT_EQ(store->server_group_chats(kAlice).value(), (std::vector<int64_t>{-100500, -7}));
	EXPECT_EQ(store->server_group_chats(kBob).value(), (std::vector<int64_t>{-7}));
	EXPECT_TRUE(store->server_group_chats(44).value().empty());
	// Noting again is an upsert: no second row, the newest title wins.
	ASSERT_TRUE(store->note_chat_member(-100500, kAlice, "Ops", T0 + 2).ok());
	EXPECT_EQ(store->server_group_chats(kAlice).value().size(), 2u);
	EXPECT_EQ(store->group_chat_title(-7).value(), "Ops team");
	EXPECT_EQ(store->group_chat_title(-100500).value(), "Ops");
	EXPECT_FALSE(store->group_chat_title(-999).value().has_value());

	for (int64_t chat : {int64_t{42}, int64_t{-7}, int64_t{-100500}, int64_t{43}}) {
		Event e;
		e.ts_ms = T0;
		e.kind = std::string(kEventServerOffline);
		e.owner_chat = chat;
		e.server_name = "x";
		store->add_event(e).value();
	}
	EventQuery q;
	q.owner_chat = 42;
	q.also_chats = {-7};
	auto chats = [](const std::vector<Event>& events) {
		std::set<int64_t> out;
		for (const Event& e : events)
			out.insert(e.owner_chat.value_or(0));
		return out;
	};
	EXPECT_EQ(chats(store->list_events(q).value()), (std::set<int64_t>{42, -7}));
	q.newest_first = true;
	EXPECT_EQ(chats(store->list_events(q).value()), (std::set<int64_t>{42, -7}));
	q.also_chats.clear();
	EXPECT_EQ(chats(store->list_events(q).value()), (std::set<int64_t>{42}));
}

TEST_F(People, AlertRulesAndState) {
	uint64_t s = store->create_server(int64_t{42}, "a", SigningKey{}, T0).value();
	AlertRule r;
	r.owner_chat = 42;
	r.server_id = s;
	r.metric = "fs.percent";
	r.device = "/";
	r.threshold = 90;
	r.clear_threshold = 85;
	r.for_s = 300;
	r.severity = "critical";
	r.repeat_s = 3600;
	r.created_ms = T0;
	r.id = store->create_alert_rule(r).value();
	AlertRule any = r;
	any.server_id.reset();
	any.metric = "cpu.busy";
	any.device = "";
	any.owner_chat = 7;
	any.id = store->create_alert_rule(any).value();
	EXPECT_EQ(store->list_alert_rules(std::nullopt).value(), (std::vector<AlertRule>{r, any}));
	EXPECT_EQ(store->list_alert_rules(int64_t{42}).value(), (std::vector<AlertRule>{r}));

	r.threshold = 95;
	r.enabled = false;
	EXPECT_TRUE(store->update_alert_rule(r).value());
	EXPECT_EQ(store->list_alert_rules(int64_t{42}).value().front(), r);

	AlertRule wrong = r;
	wrong.metric = "cpu.nope";
	EXPECT_NE(store->create_alert_rule(wrong).error().message.find("unknown metric"), std::string::npos);
	wrong = r;
	wrong.op = ">=";
	EXPECT_FALSE(store->create_alert_rule(wrong).ok());
	wrong = r;
	wrong.server_id = 999;
	EXPECT_NE(store->create_alert_rule(wrong).error().message.find("no such server"), std::string::npos);

	AlertState st{r.id, s, "/", "firing", T0, 93.5, T0 + 1000, 555, "fs.percent", 2, T0 + 500};
	ASSERT_TRUE(store->put_alert_state(st).ok());
	st.state = "ok";
	st.message_id.reset();
	ASSERT_TRUE(store->put_alert_state(st).ok()); // replaced, not added
	EXPECT_EQ(store->alert_states(s).value(), (std::vector<AlertState>{st}));
	st.state = "weird";
	EXPECT_FALSE(store->put_alert_state(st).ok());

	// Deleting the server takes its rules and states along.
	ASSERT_TRUE(store->delete_server(s).value());
	EXPECT_EQ(store->list_alert_rules(std::nullopt).value(), (std::vector<AlertRule>{any}));
	EXPECT_TRUE(store->alert_states(s).value().empty());
	EXPECT_TRUE(store->delete_alert_rule(any.id).value());
	EXPECT_FALSE(store->delete_alert_rule(any.id).value());
}

// The engine's write: states and notices together; a notice already in the outbox, even sent,
// is not queued again, and a state of a server deleted meanwhile is dropped, not an error.
TEST_F(People, RecordAlertsWritesStatesAndNoticesOnce) {
	uint64_t s = store->create_server(int64_t{42}, "web", SigningKey{}, T0).value();
	AlertState st;
	st.server_id = s;
	st.metric = "cpu.busy";
	st.state = "firing";
	st.since_ms = T0;
	st.notified_ms = T0;
	OutboxMessage m;
	m.chat_id = 42;
	m.kind = "alert";
	m.payload = "{}";
	m.dedupe_key = "alert:1:cpu.busy::0:firing";
	m.created_ms = T0;
	ASSERT_TRUE(store->record_alerts({st}, {m}).ok());
	EXPECT_EQ(store->alert_states(s).value(), (std::vector<AlertState>{st}));
	auto due = store->due_messages(T0, 10).value();
	ASSERT_EQ(due.size(), 1u);
	ASSERT_TRUE(store->mark_sent(due[0].id, T0 + 1, int64_t{77}).value());
	ASSERT_TRUE(store->record_alerts({}, {m}).ok());
	EXPECT_TRUE(store->due_messages(T0 + 10, 10).value().empty());
	// The recovery finds its firing notice's Telegram message by the key, in any state.
	auto firing = store->find_message("alert:1:cpu.busy::0:firing").value();
	ASSERT_TRUE(firing.has_value());
	EXPECT_EQ(firing->state, "sent");
	EXPECT_EQ(firing->telegram_message_id, 77);
	EXPECT_FALSE(store->find_message("alert:1:cpu.busy::0:resolved").value().has_value());

	AlertState gone = st;
	gone.server_id = 999;
	EXPECT_TRUE(store->record_alerts({gone}, {}).ok());
	OutboxMessage empty = m;
	empty.payload.clear();
	EXPECT_FALSE(store->record_alerts({}, {empty}).ok());
}

TEST_F(People, EventsArePagedAndHandledOnce) {
	uint64_t s = store->create_server(int64_t{42}, "web", SigningKey{}, T0).value();
	// The first report makes an event the bot uses to delete its token message.
	ASSERT_TRUE(store->append({{s, serversan::testing::sample_batch(1, 2, T0), T0 + 5}}).ok());
	ASSERT_TRUE(store->append({{s, serversan::testing::sample_batch(3, 1, T0 + kHourMs), T0 + 6}}).ok());
	auto first = store->unhandled_events(10).value();
	ASSERT_EQ(first.size(), 1u);
	EXPECT_EQ(first[0].kind, kEventServerFirstReport);
	EXPECT_EQ(first[0].server_id, s);
	EXPECT_EQ(first[0].owner_chat, 42);
	EXPECT_EQ(first[0].server_name, "web");
	EXPECT_EQ(first[0].ts_ms, T0 + 5);

	Event e;
	e.ts_ms = T0 + 10;
	e.kind = std::string(kEventServerOffline);
	e.server_id = s;
	e.owner_chat = 42;
	e.server_name = "web";
	e.detail = "no report for 5 min";
	e.id = store->add_event(e).value();
	EXPECT_TRUE(store->mark_event_handled(first[0].id, T0 + 20).value());
	EXPECT_FALSE(store->mark_event_handled(first[0].id, T0 + 30).value()); // once
	EXPECT_EQ(store->unhandled_events(10).value(), (std::vector<Event>{e}));

	EventQuery q;
	q.server_id = s;
	q.limit = 1;
	auto page1 = store->list_events(q).value();
	ASSERT_EQ(page1.size(), 1u);
	EXPECT_EQ(page1[0].handled_ms, T0 + 20);
	q.after_id = page1[0].id;
	EXPECT_EQ(store->list_events(q).value(), (std::vector<Event>{e}));
	q = {};
	q.owner_chat = 99;
	EXPECT_TRUE(store->list_events(q).value().empty());
	EXPECT_FALSE(store->add_event(Event{}).ok());
}

TEST_F(People, TheOutboxQueuesRetriesAndDedupes) {
	EXPECT_EQ(store->oldest_queued_ms().value(), std::nullopt);
	OutboxMessage m;
	m.chat_id = 42;
	m.payload = "<b>web</b> is offline";
	m.dedupe_key = "offline:7";
	m.created_ms = T0;
	uint64_t id = store->enqueue_message(m).value();
	EXPECT_EQ(store->enqueue_message(m).value(), id); // the same alert queued twice: once
	OutboxMessage other = m;
	other.dedupe_key = "";
	other.payload = "hello";
	other.next_attempt_ms = T0 + 60'000;
	other.created_ms = T0 + 1000;
	uint64_t id2 = store->enqueue_message(other).value();
	EXPECT_EQ(store->outbox_depth().value(), 2u);
	EXPECT_EQ(store->oldest_queued_ms().value(), T0);

	auto due = store->due_messages(T0, 10).value();
	ASSERT_EQ(due.size(), 1u);
	EXPECT_EQ(due[0].id, id);
	EXPECT_EQ(due[0].payload, m.payload);
	EXPECT_EQ(due[0].dedupe_key, "offline:7");
	EXPECT_EQ(due[0].state, "queued");

	EXPECT_TRUE(store->mark_retry(id, T0 + 5000, "429 retry after 5").value());
	EXPECT_TRUE(store->due_messages(T0 + 4999, 10).value().empty());
	due = store->due_messages(T0 + 60'000, 10).value();
	ASSERT_EQ(due.size(), 2u);
	EXPECT_EQ(due[0].attempts, 1);
	EXPECT_EQ(due[0].last_error, "429 retry after 5");

	EXPECT_TRUE(store->mark_sent(id, T0 + 6000, int64_t{777}).value());
	EXPECT_FALSE(store->mark_sent(id, T0 + 6000, int64_t{777}).value()); // not twice
	EXPECT_EQ(store->oldest_queued_ms().value(), T0 + 1000) << "sent messages do not count";
	EXPECT_TRUE(store->mark_dead(id2, T0 + 7000, "403 blocked").value());
	EXPECT_EQ(store->outbox_depth().value(), 0u);
	EXPECT_EQ(store->oldest_queued_ms().value(), std::nullopt);
	EXPECT_TRUE(store->due_messages(T0 + kDayMs, 10).value().empty());
	// Once sent, the same key may be queued again (the next outage).
	EXPECT_NE(store->enqueue_message(m).value(), id);
	EXPECT_FALSE(store->enqueue_message(OutboxMessage{}).ok());
}

TEST_F(People, TheBotStateSurvivesAReopen) {
	EXPECT_FALSE(store->bot_state("last_update_id").value());
	ASSERT_TRUE(store->set_bot_state("last_update_id", "41").ok());
	ASSERT_TRUE(store->set_bot_state("last_update_id", "42").ok()); // replaced, not added
	ASSERT_TRUE(store->set_bot_state("other", "x").ok());
	store.reset();
	store = open_sqlite_store(dir.file("s.db")).value();
	EXPECT_EQ(store->bot_state("last_update_id").value(), std::optional<std::string>("42"));
	EXPECT_EQ(store->bot_state("other").value(), std::optional<std::string>("x"));
}

TEST_F(People, AlertRulesNameThePseudoMetricsAndEachDeviceButNothingElse) {
	AlertRule r;
	r.owner_chat = 42;
	r.threshold = 3;
	for (const char* m : {"offline", "load.per_core", "fs.inodes_percent", "fs.percent", "net.rx"}) {
		r.metric = m;
		EXPECT_TRUE(store->create_alert_rule(r).ok()) << m; // no device: each device separately
	}
	r.metric = "offline";
	r.device = "/";
	EXPECT_NE(store->create_alert_rule(r).error().message.find("no per-device"), std::string::npos);
	r.metric = "cpu.busy";
	EXPECT_NE(store->create_alert_rule(r).error().message.find("no per-device"), std::string::npos);
	r.device = "";
	r.threshold = std::numeric_limits<double>::infinity();
	EXPECT_NE(store->create_alert_rule(r).error().message.find("finite"), std::string::npos);
	r.threshold = 90;
	r.for_s = -1;
	EXPECT_FALSE(store->create_alert_rule(r).ok());
}

TEST_F(People, ChatSettingsStartAtTheDefaultsAndKeepEveryField) {
	ChatSettings fresh = store->chat_settings(-100123).value();
	ChatSettings defaults;
	defaults.chat_id = -100123;
	EXPECT_EQ(fresh, defaults);
	EXPECT_TRUE(fresh.notify);
	EXPECT_EQ(fresh.reminder_s, 4 * 3600);

	ChatSettings c = defaults;
	c.notify = false;
	c.muted_kinds = {"swap", "cpu", "swap"}; // stored sorted, once each
	c.quiet_from_min = 23 * 60;
	c.quiet_to_min = 7 * 60;
	c.quiet_lets_critical = false;
	c.silent_warnings = true;
	c.reminder_s = 0;
	c.digest_hour = 9;
	c.time_zone = "Asia/Shanghai";
	c.updated_ms = T0;
	ASSERT_TRUE(store->put_chat_settings(c).ok());
	store.reset();
	store = open_sqlite_store(dir.file("s.db")).value();
	ChatSettings back = store->chat_settings(-100123).value();
	c.muted_kinds = {"cpu", "swap"};
	EXPECT_EQ(back, c);
	EXPECT_EQ(store->chat_settings(5).value().chat_id, 5); // another chat: still the defaults
	EXPECT_TRUE(store->chat_settings(5).value().notify);

	ChatSettings bad = c;
	bad.quiet_to_min.reset();
	EXPECT_NE(store->put_chat_settings(bad).error().message.find("both"), std::string::npos);
	bad = c;
	bad.quiet_from_min = 1440;
	EXPECT_NE(store->put_chat_settings(bad).error().message.find("0..1439"), std::string::npos);
	bad = c;
	bad.digest_hour = 24;
	EXPECT_FALSE(store->put_chat_settings(bad).ok());
	bad = c;
	bad.muted_kinds = {"two words"};
	EXPECT_FALSE(store->put_chat_settings(bad).ok());
	EXPECT_EQ(store->chat_settings(-100123).value(), c); // a refused write changed nothing
}

TEST_F(People, SilencesEndOnTimeBelongToOneChatAndGoWithTheirServer) {
	uint64_t s = store->create_server(int64_t{42}, "a", SigningKey{}, T0).value();
	AlertSilence snooze{0, 42, s, "cpu", T0 + kHourMs, T0, 1001};
	AlertSilence mute{0, 42, s, "", std::nullopt, T0, 1001};
	AlertSilence other{0, 43, std::nullopt, "", T0 + kHourMs, T0, 1002};
	snooze.id = store->add_silence(snooze).value();
	mute.id = store->add_silence(mute).value();
	other.id = store->add_silence(other).value();
	EXPECT_EQ(store->silences(42, T0).value(), (std::vector<AlertSilence>{snooze, mute}));
	// The snooze ends at its time; the mute lasts until it is lifted.
	EXPECT_EQ(store->silences(42, T0 + kHourMs).value(), (std::vector<AlertSilence>{mute}));
	// A chat lifts only its own.
	EXPECT_FALSE(store->delete_silence(other.id, 42).value());
	EXPECT_TRUE(store->delete_silence(snooze.id, 42).value());
	EXPECT_FALSE(store->delete_silence(snooze.id, 42).value());
	EXPECT_EQ(store->silences(43, T0).value().size(), 1u);
	// Deleting the server lifts its silences.
	ASSERT_TRUE(store->delete_server(s).value());
	EXPECT_TRUE(store->silences(42, T0).value().empty());
}

TEST_F(People, QueueingAnEventsMessageMarksTheEventInTheSameTransaction) {
	Event e;
	e.kind = kEventServerFirstReport;
	e.ts_ms = T0;
	e.owner_chat = 42;
	e.id = store->add_event(e).value();
	OutboxMessage m;
	m.chat_id = 42;
	m.created_ms = T0 + 5;
	m.handled_event = e.id;
	EXPECT_FALSE(store->enqueue_message(m).ok()); // no payload: refused, and the event stays open
	EXPECT_EQ(store->unhandled_events(10).value().size(), 1u);
	m.payload = "hello";
	ASSERT_TRUE(store->enqueue_message(m).ok());
	EXPECT_TRUE(store->unhandled_events(10).value().empty());
	EXPECT_EQ(store->list_events({}).value().front().handled_ms, T0 + 5);
	EXPECT_EQ(store->outbox_depth().value(), 1u);
}
