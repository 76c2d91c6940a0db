// The engine on a real SQLite store and a moved clock: what fires, when, and what reaches the
// outbox, across backfills, offline servers, overrides, restarts and reminders.
#include <map>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/alerts/delivery_gate.h"
#include "serversan/server/alerts/engine.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::alerts;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kChat = 42;

class EngineTest : public ::testing::Test {
protected:
	void SetUp() override {
		open();
		web = store->create_server(kChat, "web", SigningKey{}, now()).value();
		db = store->create_server(kChat, "db", SigningKey{}, now()).value();
	}
	void open() { store = store::open_sqlite_store(dir.file("s.db")).value(); }

	int64_t now() const { return clock.unix_millis(); }

	std::unique_ptr<Engine> start(DeliveryGate gate = {}) {
		auto e = std::make_unique<Engine>(*store, EngineOptions{}, std::move(gate));
		EXPECT_TRUE(e->load(now()).ok());
		return e;
	}

	Report report(uint64_t server, double cpu, int64_t t) {
		Report r = serversan::testing::sample_report(++seq[server], t);
		r.cpu.total = {};
		r.cpu.total.user = cpu;
		r.cpu.total.idle = 100 - cpu;
		return r;
	}

	// Stores the reports as one batch, as the writer would, and hands the engine the outcome.
	EngineStats commit(Engine& e, uint64_t server, std::vector<Report> reports) {
		store::IngestBatch b;
		b.server_id = server;
		b.batch.stream = "0123456789abcdef";
		b.batch.agent_version = "0.1.0";
		b.batch.reports = std::move(reports);
		b.received_ms = now();
		std::vector<store::IngestBatch> batches{b};
		auto outcomes = store->append(batches).value();
		auto st = e.on_committed(batches, outcomes, now());
		EXPECT_TRUE(st.ok()) << st.error().message;
		return st.ok() ? *st : EngineStats{};
	}

	// n minutes of live reports, one a minute, each at its own time.
	void minutes(Engine& e, uint64_t server, int n, double cpu) {
		for (int i = 0; i < n; ++i) {
			clock.advance(1min);
			commit(e, server, {report(server, cpu, now())});
		}
	}

	void tick(Engine& e) { ASSERT_TRUE(e.tick(now()).ok()); }

	// Every alert notice queued so far, in order, decoded, with the chat it goes to.
	std::vector<std::pair<int64_t, AlertMessage>> routed() {
		std::vector<std::pair<int64_t, AlertMessage>> out;
		auto queued = store->due_messages(now() + 1000 * kHour, 1000);
		EXPECT_TRUE(queued.ok());
		for (const auto& m : *queued) {
			EXPECT_EQ(m.kind, kOutboxKindAlert);
			auto a = decode_alert_message(m.payload);
			EXPECT_TRUE(a.ok());
			if (a.ok())
				out.emplace_back(m.chat_id, *a);
		}
		return out;
	}

	// The same, all to the owner's chat.
	std::vector<AlertMessage> notices() {
		std::vector<AlertMessage> out;
		for (auto& [chat, m] : routed()) {
			EXPECT_EQ(chat, kChat);
			out.push_back(std::move(m));
		}
		return out;
	}

	std::string phase(Engine& e, uint64_t server, std::string_view metric, std::string_view device = {}) {
		auto st = e.state(server, metric, device);
		return st ? st->state : "none";
	}

	void add_rule(store::AlertRule r) {
		r.owner_chat = kChat;
		r.created_ms = now();
		ASSERT_TRUE(store->create_alert_rule(r).ok());
	}
	void offline_off() {
		store::AlertRule r;
		r.metric = "offline";
		r.threshold = 3;
		r.enabled = false;
		add_rule(r);
	}

	serversan::testing::TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store;
	uint64_t web = 0, db = 0;
	std::map<uint64_t, uint64_t> seq;
};

// The top processes an agent sent hours before a breach say nothing about it: the firing notice
// carries none (seen in integration.alerts_e2e: "Top CPU · 4 h 41 min ago" under a new alert).
TEST_F(EngineTest, TopProcessesFromLongBeforeTheBreachAreNoEvidence) {
	auto e = start();
	Report top = report(web, 20, now() + kMin);
	top.top_cpu = std::vector<ProcessEntry>{{4242, "backup.sh", "root", 180.0, 1ull << 30}};
	clock.advance(1min);
	commit(*e, web, {top});
	minutes(*e, web, 120, 20);
	minutes(*e, web, 15, 99);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].state, NoticeState::firing);
	EXPECT_TRUE(n[0].evidence.top.empty());
	EXPECT_FALSE(n[0].evidence.top_ms);
}

TEST_F(EngineTest, CpuOverForLessThanTheWindowDoesNotFireForTheWindowFiresOnce) {
	auto e = start();
	minutes(*e, web, 15, 20);
	minutes(*e, web, 5, 99);
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "pending");
	minutes(*e, web, 15, 20);
	EXPECT_TRUE(notices().empty());
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "ok");

	// The default is 90 % over 10 minutes: at 99 % it fires within the window, once.
	Report top = report(web, 99, now() + kMin);
	top.top_cpu = std::vector<ProcessEntry>{{4242, "ffmpeg", "media", 390.0, 1ull << 30}};
	clock.advance(1min);
	commit(*e, web, {top});
	minutes(*e, web, 30, 99);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].kind, "cpu");
	EXPECT_EQ(n[0].server_name, "web");
	EXPECT_EQ(n[0].state, NoticeState::firing);
	EXPECT_EQ(n[0].threshold, 90);
	EXPECT_EQ(n[0].clear, 80);
	// Fired as soon as the 10-minute average passed 90: nine samples of 99 and one of 20.
	EXPECT_NEAR(*n[0].value, (9 * 99 + 20) / 10.0, 1e-9);
	EXPECT_GE(n[0].held_s, 8 * 60);
	ASSERT_EQ(n[0].evidence.top.size(), 1u);
	EXPECT_EQ(n[0].evidence.top[0].name, "ffmpeg");

	minutes(*e, web, 20, 30);
	n = notices();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[1].state, NoticeState::resolved);
	EXPECT_EQ(n[1].started_ms, n[0].started_ms);
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "ok");
}

// integration.alerts_e2e read "✅ web1 · CPU back to 73.9%" with the CPU at 20 %: the 10-minute
// average that cleared. A recovery carries the newest sample too, for the bot to say.
TEST_F(EngineTest, ARecoveryCarriesTheNewestSampleBesideTheWindowsAverage) {
	auto e = start();
	minutes(*e, web, 15, 97);
	minutes(*e, web, 3, 20);
	auto n = notices();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[0].state, NoticeState::firing);
	EXPECT_EQ(n[0].latest, 97);
	EXPECT_EQ(n[1].state, NoticeState::resolved);
	EXPECT_EQ(n[1].latest, 20);                               // now
	EXPECT_NEAR(*n[1].value, (7 * 97 + 3 * 20) / 10.0, 1e-9); // the window, 73.9
}

TEST_F(EngineTest, HoveringAtTheLineDoesNotFlapAndResolvesOnlyBelowTheClearLevel) {
	auto e = start();
	minutes(*e, web, 12, 95);
	ASSERT_EQ(notices().size(), 1u);
	for (int i = 0; i < 60; ++i)
		minutes(*e, web, 1, i % 2 ? 93 : 87);
	minutes(*e, web, 20, 84); // below the threshold, above the clear level (80)
	EXPECT_EQ(notices().size(), 1u);
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "firing");
	minutes(*e, web, 10, 60);
	EXPECT_EQ(notices().size(), 2u);
}

TEST_F(EngineTest, TooFewSamplesInTheWindowDecideNothing) {
	auto e = start();
	for (int i = 0; i < 20; ++i) { // every 4 minutes: 2-3 samples per 10-minute window
		clock.advance(4min);
		commit(*e, web, {report(web, 99, now())});
	}
	EXPECT_TRUE(notices().empty());
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "pending");
}

TEST_F(EngineTest, ABackfillAfterAnOutageFiresNothingStale) {
	auto e = start();
	minutes(*e, web, 10, 20);
	// Two hours away; the agent spooled its reports: the first 40 minutes at 99 %, then calm.
	const int64_t gone = now();
	clock.advance(2h);
	std::vector<Report> spool;
	for (int i = 1; i <= 120; ++i)
		spool.push_back(report(web, i <= 40 ? 99 : 20, gone + i * kMin));
	commit(*e, web, spool);
	EXPECT_TRUE(notices().empty());
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "ok");

	// A backfill that is still breaching when it reaches now: one notice, from the fresh sample.
	const int64_t gone2 = now();
	clock.advance(1h);
	spool.clear();
	for (int i = 1; i <= 60; ++i)
		spool.push_back(report(web, 99, gone2 + i * kMin));
	commit(*e, web, spool);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].state, NoticeState::firing);
	EXPECT_GE(n[0].at_ms, now() - 3 * kMin);       // the first sample within three intervals of now
	EXPECT_LT(n[0].started_ms, now() - 45 * kMin); // the breach began early in the spool
	minutes(*e, web, 5, 99);
	EXPECT_EQ(notices().size(), 1u);

	// Late duplicates of old samples change nothing.
	EXPECT_EQ(e->on_committed({}, {}, now()).value().reports, 0u);
}

TEST_F(EngineTest, OfflineAfterTheRightTimeBackOnlineOnlyWhereOfflineWasSent) {
	auto e = start();
	for (int i = 0; i < 3; ++i) {
		minutes(*e, web, 1, 10);
		commit(*e, db, {report(db, 10, now())});
	}
	const int64_t last = now();
	clock.set(Clock::time_point(std::chrono::milliseconds(last + 3 * kMin)));
	tick(*e);
	EXPECT_TRUE(notices().empty());
	clock.advance(1s);
	tick(*e);
	tick(*e);
	auto n = notices();
	ASSERT_EQ(n.size(), 2u); // both servers, once each
	EXPECT_EQ(n[0].kind, "offline");
	EXPECT_EQ(n[0].started_ms, last);
	EXPECT_EQ(n[0].severity, "critical");

	minutes(*e, web, 1, 10);
	n = notices();
	ASSERT_EQ(n.size(), 3u);
	EXPECT_EQ(n[2].kind, "offline");
	EXPECT_EQ(n[2].state, NoticeState::resolved);
	EXPECT_EQ(n[2].server_id, web);

	// An offline notice the delivery dropped (a mute): no "back online" either.
	auto dropped = start([&](int64_t, const AlertMessage& m, int64_t) {
		return DeliveryVerdict{m.server_id != web, 0};
	});
	clock.advance(10min);
	tick(*dropped);
	EXPECT_EQ(notices().size(), 3u); // db was already offline and notified; web's was dropped
	EXPECT_EQ(phase(*dropped, web, "offline"), "firing");
	minutes(*dropped, web, 1, 10);
	EXPECT_EQ(notices().size(), 3u);
}

TEST_F(EngineTest, ARestartOfServerSanDoesNotMarkEveryServerOffline) {
	{
		auto e = start();
		minutes(*e, web, 3, 10);
	}
	clock.advance(1h); // ServerSan was down for an hour
	auto e = start();
	clock.advance(2min);
	tick(*e);
	EXPECT_TRUE(notices().empty());
	clock.advance(1min + 1s);
	tick(*e);
	ASSERT_EQ(notices().size(), 1u);
	EXPECT_EQ(notices()[0].kind, "offline");
}

TEST_F(EngineTest, PerDeviceDiskRulesAndOverrides) {
	offline_off();
	auto e = start();
	auto disk = [&](uint64_t server, double data_percent) {
		Report r = report(server, 10, now());
		Filesystem f;
		f.mount = "/data";
		f.type = "ext4";
		f.total = 1000ull << 30;
		f.used = static_cast<uint64_t>(data_percent * 10) << 30;
		f.free = f.total.value() - f.used.value();
		r.filesystems.push_back(f);
		commit(*e, server, {r});
	};
	for (int i = 0; i < 8; ++i) {
		clock.advance(1min);
		disk(web, 93 + i * 0.1);
		disk(db, 93);
	}
	auto n = notices();
	ASSERT_EQ(n.size(), 2u); // /data on both; "/" (40 %) stays quiet
	EXPECT_EQ(n[0].kind, "disk");
	EXPECT_EQ(n[0].device, "/data");
	EXPECT_EQ(phase(*e, web, "fs.percent", "/"), "ok");
	EXPECT_EQ(*n[0].evidence.total, 1000ull << 30);
	EXPECT_GT(*n[0].evidence.fill_per_s, 0); // web filled up over the window
	EXPECT_EQ(*n[1].evidence.fill_per_s, 0); // db stayed flat

	// The chat sets /data to 95 %; the server db its own 99 %: web still fires at 96, db not.
	store::AlertRule chat;
	chat.metric = "fs.percent";
	chat.device = "/data";
	chat.threshold = 95;
	chat.clear_threshold = 94;
	chat.for_s = 300;
	add_rule(chat);
	store::AlertRule server = chat;
	server.server_id = db;
	server.threshold = 99;
	server.clear_threshold = 97;
	add_rule(server);
	e->rules_changed();
	for (int i = 0; i < 8; ++i) {
		clock.advance(1min);
		disk(web, 90);
		disk(db, 90);
	}
	ASSERT_EQ(notices().size(), 4u); // both resolved (below 94 and 97)
	for (int i = 0; i < 8; ++i) {
		clock.advance(1min);
		disk(web, 96);
		disk(db, 96);
	}
	n = notices();
	ASSERT_EQ(n.size(), 5u);
	EXPECT_EQ(n[4].server_id, web);
	EXPECT_EQ(n[4].threshold, 95);
	EXPECT_EQ(phase(*e, db, "fs.percent", "/data"), "ok");
}

TEST_F(EngineTest, AChatRuleAndAServerRuleChangeTheOutcome) {
	offline_off();
	store::AlertRule chat; // the chat: CPU above 50 % for 2 minutes
	chat.metric = "cpu.busy";
	chat.threshold = 50;
	chat.clear_threshold = 40;
	chat.for_s = 120;
	add_rule(chat);
	store::AlertRule off = chat; // web: CPU alerts off
	off.server_id = web;
	off.enabled = false;
	add_rule(off);
	auto e = start();
	minutes(*e, web, 5, 60);
	minutes(*e, db, 5, 60);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].server_id, db);
	EXPECT_EQ(n[0].threshold, 50);
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "none");
}

TEST_F(EngineTest, ARestartKeepsTheFiringStateAndSendsNothingTwice) {
	offline_off();
	{
		auto e = start();
		minutes(*e, web, 12, 99);
		ASSERT_EQ(notices().size(), 1u);
	}
	store.reset(); // ServerSan stops; the store is reopened from disk
	open();
	auto e = start();
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "firing");
	minutes(*e, web, 30, 99);
	tick(*e);
	EXPECT_EQ(notices().size(), 1u);
	minutes(*e, web, 12, 20);
	auto n = notices();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[1].state, NoticeState::resolved); // it was sent before the restart
	EXPECT_EQ(n[1].started_ms, n[0].started_ms);
}

// The evidence lives in the engine's memory; after a restart the reminder and the "resolved"
// still carry what the alert fired with (read back from the firing notice).
TEST_F(EngineTest, TheEvidenceCapturedAtFiringSurvivesARestart) {
	offline_off();
	{
		auto e = start();
		for (int i = 0; i < 12; ++i) {
			clock.advance(1min);
			Report r = report(web, 99, now());
			r.top_cpu = std::vector<ProcessEntry>{{4242, "stress", "root", 97.5, 2'000'000},
			                                      {812, "nginx", "www-data", 1.5, 90'000'000}};
			commit(*e, web, {r});
		}
		ASSERT_EQ(notices().size(), 1u);
	}
	const Evidence fired = notices()[0].evidence;
	ASSERT_EQ(fired.top.size(), 2u);
	EXPECT_EQ(fired.top[0].name, "stress");
	store.reset();
	open();
	auto e = start();
	minutes(*e, web, 5, 99); // no top section in these reports: nothing to capture again
	clock.advance(4h);
	tick(*e);
	minutes(*e, web, 12, 20);
	auto n = notices();
	ASSERT_EQ(n.size(), 3u);
	EXPECT_EQ(n[1].state, NoticeState::reminder);
	EXPECT_EQ(n[1].evidence, fired);
	EXPECT_EQ(n[2].state, NoticeState::resolved);
	EXPECT_EQ(n[2].evidence, fired);
}

TEST_F(EngineTest, RemindersBackOffAndNeverRepeat) {
	offline_off();
	auto chat = store->chat_settings(kChat).value();
	chat.reminder_s = 3600;
	ASSERT_TRUE(store->put_chat_settings(chat).ok());
	auto e = start();
	minutes(*e, web, 12, 99);
	ASSERT_EQ(notices().size(), 1u);
	const int64_t fired = now();
	// Reminders 1 h, then 2 h, 4 h, 8 h, 16 h after the previous one, then every 24 h.
	std::vector<int64_t> at;
	for (int64_t t = fired; t <= fired + 80 * kHour; t += 5 * kMin) {
		clock.set(Clock::time_point(std::chrono::milliseconds(t)));
		tick(*e);
	}
	auto n = notices();
	std::vector<int64_t> gaps;
	int64_t prev = fired;
	for (size_t i = 1; i < n.size(); ++i) {
		EXPECT_EQ(n[i].state, NoticeState::reminder);
		EXPECT_EQ(n[i].reminder, static_cast<int>(i));
		gaps.push_back((n[i].at_ms - prev) / kHour);
		prev = n[i].at_ms;
	}
	EXPECT_EQ(gaps, (std::vector<int64_t>{1, 2, 4, 8, 16, 24, 24}));

	// A restart neither repeats a reminder nor restarts the back-off.
	e.reset();
	e = start();
	tick(*e);
	EXPECT_EQ(notices().size(), n.size());
	clock.advance(24h);
	tick(*e);
	EXPECT_EQ(notices().size(), n.size() + 1);
}

TEST_F(EngineTest, RulesWrittenElsewhereApplyAfterTheRefreshNewServersAndDeletedOnes) {
	auto e = start();
	minutes(*e, web, 5, 50);
	// The bot (another process) sets CPU above 40 % for 2 minutes; the engine is not told.
	store::AlertRule chat;
	chat.metric = "cpu.busy";
	chat.threshold = 40;
	chat.for_s = 120;
	add_rule(chat);
	minutes(*e, web, 5, 50);
	EXPECT_TRUE(notices().empty()); // the cached default (90 %) still applies
	tick(*e);                       // 30 s have passed since load: the reload picks the rule up
	minutes(*e, web, 1, 50);
	ASSERT_EQ(notices().size(), 1u);
	EXPECT_EQ(notices()[0].threshold, 40);

	// A server enrolled after the engine loaded is evaluated from its first report.
	uint64_t fresh = store->create_server(kChat, "new", SigningKey{}, now()).value();
	for (int i = 0; i < 3; ++i) {
		minutes(*e, fresh, 1, 60);
		commit(*e, web, {report(web, 50, now())});
	}
	auto n = notices();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[1].server_name, "new");

	// A deleted server is forgotten at the next reload: it never goes "offline".
	ASSERT_TRUE(store->delete_server(db).value());
	commit(*e, db, {}); // nothing arrives for it any more
	clock.advance(1h);
	tick(*e);
	for (const auto& m : notices())
		EXPECT_NE(m.server_id, db);
	EXPECT_FALSE(e->state(db, "offline").has_value());
}

TEST_F(EngineTest, NoResolvedWhereTheFiringNoticeWasDroppedAndANoticeOnceTheGateOpens) {
	offline_off();
	bool muted = true;
	auto e = start([&](int64_t, const AlertMessage&, int64_t) { return DeliveryVerdict{!muted, 0}; });
	minutes(*e, web, 12, 99);
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "firing");
	clock.advance(5h);
	tick(*e); // no reminder for an alert nobody was told of
	minutes(*e, web, 12, 10);
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "ok");
	EXPECT_TRUE(notices().empty());

	// A snooze that ends while the alert still fires: the firing notice goes out then, once.
	minutes(*e, web, 12, 99);
	EXPECT_TRUE(notices().empty());
	muted = false;
	minutes(*e, web, 3, 99);
	ASSERT_EQ(notices().size(), 1u);
	EXPECT_EQ(notices()[0].state, NoticeState::firing);
	minutes(*e, web, 12, 10);
	ASSERT_EQ(notices().size(), 2u);
	EXPECT_EQ(notices()[1].state, NoticeState::resolved);
}

TEST_F(EngineTest, LoadPerCoreUsesTheNewestKnownCoreCount) {
	offline_off();
	auto e = start();
	clock.advance(1min);
	Report first = report(web, 10, now());
	first.host = HostFacts{.cpu_logical = 2};
	first.load.load1 = 5;
	commit(*e, web, {first});
	for (int i = 0; i < 16; ++i) {
		clock.advance(1min);
		Report r = report(web, 10, now()); // no host facts: the engine remembers 2 cores
		r.load.load1 = 5;
		commit(*e, web, {r});
	}
	auto st = e->state(web, "load.per_core");
	ASSERT_TRUE(st.has_value());
	EXPECT_EQ(st->state, "firing");
	EXPECT_DOUBLE_EQ(*st->value, 2.5);
	ASSERT_EQ(notices().size(), 1u);
	EXPECT_EQ(notices()[0].kind, "load");
}

TEST_F(EngineTest, AfterARestartTheIntervalOfASlowAgentComesFromItsLastReport) {
	auto e = start();
	for (int i = 0; i < 3; ++i) { // an agent reporting every 5 minutes
		clock.advance(5min);
		Report r = report(web, 10, now());
		r.interval_s = 300;
		commit(*e, web, {r});
		commit(*e, db, {report(db, 10, now())});
	}
	e.reset();
	e = start(); // restart right after the last reports
	clock.advance(4min);
	tick(*e);
	ASSERT_EQ(notices().size(), 1u); // db (every minute) is offline after 3 minutes; web is not
	EXPECT_EQ(notices()[0].server_id, db);
	clock.advance(11min + 1s); // web: 3 intervals of 5 minutes
	tick(*e);
	ASSERT_EQ(notices().size(), 2u);
	EXPECT_EQ(notices()[1].server_id, web);
}

// The store-backed gate: the chat's kinds, snoozes and quiet hours decide; "resolved" is held by
// quiet hours but never dropped.
TEST_F(EngineTest, TheChatsSettingsDecideThroughTheStoreGate) {
	offline_off();
	auto settings = store->chat_settings(kChat).value();
	settings.muted_kinds = {"ram"};
	settings.time_zone = "UTC";
	ASSERT_TRUE(store->put_chat_settings(settings).ok());
	store::AlertSilence snooze;
	snooze.chat_id = kChat;
	snooze.server_id = db;
	snooze.until_ms = now() + 10 * kHour;
	snooze.created_ms = now();
	ASSERT_TRUE(store->add_silence(snooze).ok());
	auto e = start(store_delivery_gate(*store));
	auto hot = [&](int n, double cpu, double ram) {
		for (int i = 0; i < n; ++i) {
			clock.advance(1min);
			for (uint64_t s : {web, db}) {
				Report r = report(s, cpu, now());
				r.memory.used = static_cast<uint64_t>(static_cast<double>(*r.memory.total) * ram / 100);
				commit(*e, s, {r});
			}
		}
	};
	hot(12, 99, 95);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u); // web's CPU: RAM is turned off for the chat, db is snoozed
	EXPECT_EQ(n[0].server_id, web);
	EXPECT_EQ(n[0].kind, "cpu");

	// Quiet hours from now on: web's recovery waits for their end; nothing is dropped.
	const int64_t minute_of_day = (now() / kMin) % (24 * 60);
	settings.quiet_from_min = static_cast<int>(minute_of_day);
	settings.quiet_to_min = static_cast<int>((minute_of_day + 120) % (24 * 60));
	ASSERT_TRUE(store->put_chat_settings(settings).ok());
	settings.muted_kinds = {"ram", "cpu"}; // and CPU turned off after it fired
	ASSERT_TRUE(store->put_chat_settings(settings).ok());
	hot(12, 10, 10);
	n = notices();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[1].state, NoticeState::resolved);
	EXPECT_TRUE(store->due_messages(now(), 10).value().size() == 1u); // only the firing one is due
}

TEST_F(EngineTest, AMuteUntilItRecoversIsLiftedOnceNothingOfTheServerFires) {
	offline_off();
	store::AlertSilence mute;
	mute.chat_id = kChat;
	mute.server_id = web;
	mute.created_ms = now();
	ASSERT_TRUE(store->add_silence(mute).ok());
	mute.server_id = db; // another server's mute stays
	ASSERT_TRUE(store->add_silence(mute).ok());
	auto e = start(store_delivery_gate(*store));
	auto minutes_of = [&](int n, double cpu, double ram) {
		for (int i = 0; i < n; ++i) {
			clock.advance(1min);
			Report r = report(web, cpu, now());
			r.memory.used = static_cast<uint64_t>(static_cast<double>(*r.memory.total) * ram / 100);
			commit(*e, web, {r});
		}
	};
	minutes_of(12, 99, 95); // CPU and RAM fire, both muted
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "firing");
	EXPECT_EQ(phase(*e, web, "mem.percent"), "firing");
	EXPECT_TRUE(notices().empty());
	minutes_of(12, 10, 95); // CPU recovers; RAM still fires: the mute holds
	EXPECT_EQ(phase(*e, web, "cpu.busy"), "ok");
	EXPECT_EQ(store->silences(kChat, now()).value().size(), 2u);
	minutes_of(12, 10, 10); // all recovered: web's mute is over, db's stays; no orphan "resolved"
	auto left = store->silences(kChat, now()).value();
	ASSERT_EQ(left.size(), 1u);
	EXPECT_EQ(left[0].server_id, db);
	EXPECT_TRUE(notices().empty());
	minutes_of(12, 99, 10); // the next breach reaches the chat
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].kind, "cpu");
}

TEST_F(EngineTest, HeldNoticesWaitInTheOutboxAndSilentWarningsSaySo) {
	offline_off();
	auto settings = store->chat_settings(kChat).value();
	settings.time_zone = "UTC";
	settings.silent_warnings = true;
	const int64_t start_min = now() / kMin; // quiet hours from now for an hour
	settings.quiet_from_min = static_cast<int>(start_min % (24 * 60));
	settings.quiet_to_min = static_cast<int>((start_min + 60) % (24 * 60));
	ASSERT_TRUE(store->put_chat_settings(settings).ok());
	auto e = start(store_delivery_gate(*store));
	minutes(*e, web, 13, 99);
	ASSERT_EQ(notices().size(), 1u);
	EXPECT_TRUE(notices()[0].silent);
	EXPECT_TRUE(store->due_messages(now(), 10).value().empty()); // held
	const int64_t end = (start_min + 60) * kMin;                 // the quiet hour's end
	EXPECT_EQ(store->due_messages(end - 1, 10).value().size(), 0u);
	EXPECT_EQ(store->due_messages(end, 10).value().size(), 1u);
	// The notice knows it was held, and until when: the bot says so when it goes out.
	EXPECT_EQ(notices()[0].quiet_until_ms, end);

	// Resolved inside the quiet hour: the recovery is held to the same end, with the firing
	// still queued (the bot sends them as one message).
	minutes(*e, web, 15, 20);
	auto n = notices();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[1].state, NoticeState::resolved);
	EXPECT_EQ(n[1].quiet_until_ms, end);
	EXPECT_EQ(store->due_messages(end, 10).value().size(), 2u);
}

TEST_F(EngineTest, ANoticeSentAtOnceIsNotMarkedHeld) {
	auto e = start();
	minutes(*e, web, 13, 99);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_FALSE(n[0].quiet_until_ms);
}

} // namespace

// Notices are queued at once but due group_wait later, so the bot can send a
// group's notices together (bot/alert_group.h).
TEST_F(EngineTest, NoticesAreQueuedAtOnceAndDueAfterTheGroupWait) {
	auto e = start();
	const int64_t wait = EngineOptions{}.group_wait_ms;
	ASSERT_EQ(wait, 30'000);
	int64_t fired_at = 0;
	for (int i = 0; i < 15 && notices().empty(); ++i) {
		minutes(*e, web, 1, 99);
		fired_at = now();
	}
	auto rows = store->due_messages(now() + wait, 10).value();
	ASSERT_EQ(rows.size(), 1u);
	EXPECT_EQ(rows[0].created_ms, fired_at); // queued with the commit that fired it
	EXPECT_EQ(rows[0].next_attempt_ms, fired_at + wait);
	EXPECT_TRUE(store->due_messages(now() + wait - 1, 10).value().empty());
}

// Routing (docs/alerts.md "Routing"): a rule's route_chat, else the server's alert chat, else the
// owner. A recovery goes where its firing went, even after the route changed and a restart.
TEST_F(EngineTest, AServerRoutedToAGroupSendsThereAndTheRecoveryFollowsTheFiring) {
	constexpr int64_t kGroup = -100'777;
	offline_off();
	ASSERT_TRUE(store->set_server_alert_chat(web, kGroup).value());
	auto e = start();
	minutes(*e, web, 12, 99);
	minutes(*e, db, 12, 99);
	auto n = routed();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[0].first, kGroup); // web: the group
	EXPECT_EQ(n[0].second.server_id, web);
	EXPECT_EQ(n[1].first, kChat); // db: still the owner
	// The route is taken back while web fires, and ServerSan restarts: web's recovery still goes
	// to the group that saw it fire (the outbox row says where), not to the owner.
	ASSERT_TRUE(store->set_server_alert_chat(web, std::nullopt).value());
	e.reset();
	store.reset();
	open();
	e = start();
	minutes(*e, web, 12, 10);
	n = routed();
	ASSERT_EQ(n.size(), 3u);
	EXPECT_EQ(n[2].second.state, NoticeState::resolved);
	EXPECT_EQ(n[2].first, kGroup);
	// The next firing follows the new route.
	minutes(*e, web, 12, 99);
	n = routed();
	ASSERT_EQ(n.size(), 4u);
	EXPECT_EQ(n[3].first, kChat);
}

TEST_F(EngineTest, ARulesRouteBeatsTheServersAndRemindersGoWhereTheFiringWent) {
	constexpr int64_t kTeam = -100'111, kOps = -100'222;
	offline_off();
	ASSERT_TRUE(store->set_server_alert_chat(web, kTeam).value());
	store::AlertRule cpu; // CPU of web goes to ops, whatever the server's route
	cpu.server_id = web;
	cpu.metric = "cpu.busy";
	cpu.threshold = 90;
	cpu.clear_threshold = 80;
	cpu.for_s = 600;
	cpu.repeat_s = 3600;
	cpu.route_chat = kOps;
	add_rule(cpu);
	auto e = start();
	auto hot = [&](int n, double cpu_pct, double ram) {
		for (int i = 0; i < n; ++i) {
			clock.advance(1min);
			Report r = report(web, cpu_pct, now());
			r.memory.used = static_cast<uint64_t>(static_cast<double>(*r.memory.total) * ram / 100);
			commit(*e, web, {r});
		}
	};
	hot(12, 99, 95);
	auto n = routed();
	ASSERT_EQ(n.size(), 2u);
	std::map<std::string, int64_t> to;
	for (auto& [chat, m] : n)
		to[m.kind] = chat;
	EXPECT_EQ(to["cpu"], kOps);  // the rule's route
	EXPECT_EQ(to["ram"], kTeam); // the server's
	// Both routes are taken back: the reminders still go where the firings went, each after
	// that chat's own reminder interval (the team's is 30 minutes, the owner's the default 4 h).
	ASSERT_TRUE(store->set_server_alert_chat(web, std::nullopt).value());
	auto rule = store->list_alert_rules(kChat).value().front();
	rule.route_chat.reset();
	ASSERT_TRUE(store->update_alert_rule(rule).value());
	auto team = store->chat_settings(kTeam).value();
	team.reminder_s = 1800;
	ASSERT_TRUE(store->put_chat_settings(team).ok());
	e->rules_changed();
	hot(61, 99, 95);
	tick(*e);
	n = routed();
	std::map<std::string, int64_t> reminded;
	for (auto& [chat, m] : n)
		if (m.state == NoticeState::reminder)
			reminded[m.kind] = chat;
	EXPECT_EQ(reminded, (std::map<std::string, int64_t>{{"cpu", kOps}, {"ram", kTeam}}));
}

TEST_F(EngineTest, TheChatTheNoticeGoesToDecidesThroughTheGate) {
	constexpr int64_t kGroup = -100'333;
	offline_off();
	ASSERT_TRUE(store->set_server_alert_chat(web, kGroup).value());
	// The owner turned CPU alerts off; the group did not: the group gets web's CPU alert.
	auto mine = store->chat_settings(kChat).value();
	mine.muted_kinds = {"cpu"};
	ASSERT_TRUE(store->put_chat_settings(mine).ok());
	// The group snoozed db: db does not go there anyway (it goes to the owner, who muted CPU).
	auto e = start(store_delivery_gate(*store));
	minutes(*e, web, 12, 99);
	minutes(*e, db, 12, 99);
	auto n = routed();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].first, kGroup);
	EXPECT_EQ(n[0].second.server_id, web);
	// The group snoozes web: the next firing is dropped there.
	store::AlertSilence snooze;
	snooze.chat_id = kGroup;
	snooze.server_id = web;
	snooze.until_ms = now() + 10 * kHour;
	snooze.created_ms = now();
	ASSERT_TRUE(store->add_silence(snooze).ok());
	minutes(*e, web, 12, 10);
	minutes(*e, web, 12, 99);
	n = routed();
	ASSERT_EQ(n.size(), 2u); // the firing and its "resolved"; the second firing was snoozed
	EXPECT_EQ(n[1].second.state, NoticeState::resolved);
	EXPECT_EQ(n[1].first, kGroup);
}

TEST_F(EngineTest, ATagRuleAppliesToTheServersCarryingTheTag) {
	offline_off();
	store::AlertRule low; // CPU over 50 % for servers tagged db
	low.tag = "db";
	low.metric = "cpu.busy";
	low.threshold = 50;
	low.clear_threshold = 40;
	low.for_s = 120;
	add_rule(low);
	ASSERT_TRUE(store->set_server_tags(db, {"db", "prod"}).value());
	auto e = start();
	minutes(*e, web, 5, 60);
	minutes(*e, db, 5, 60);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].server_id, db);
	EXPECT_EQ(n[0].threshold, 50);
	// web gets the tag later: the engine reloads the tags with the rules.
	ASSERT_TRUE(store->set_server_tags(web, {"db"}).value());
	e->rules_changed();
	minutes(*e, web, 5, 60);
	n = notices();
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[1].server_id, web);
}
