// The daily digest: when it is due in the chat's zone (DST days included), once per local day
// even across a restart, none for chats that turned notifications off, chose no hour or have no
// servers, and what it says (servers, the day's alerts, trends) on a real SQLite store.
#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/alerts/digest.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::alerts;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
constexpr uint64_t kGiB = 1ull << 30;
constexpr int64_t kChat = 42;
constexpr int64_t kStart = 1'796'518'800'000; // 2026-12-06 01:00 UTC: 09:00 in Shanghai
constexpr int64_t kMar28 = 1'774'656'000'000; // 2026-03-28 00:00 UTC
constexpr int64_t kOct24 = 1'792'800'000'000; // 2026-10-24 00:00 UTC

} // namespace

TEST(DigestDue, TheHourInTheChatsZone) {
	// 09:00 in Shanghai is 01:00 UTC.
	EXPECT_FALSE(digest_day_due(9, "Asia/Shanghai", kStart - 1));
	EXPECT_EQ(digest_day_due(9, "Asia/Shanghai", kStart), "2026-12-06");
	EXPECT_EQ(digest_day_due(9, "Asia/Shanghai", kStart + 14 * kHour + 59 * kMin), "2026-12-06"); // 23:59
	EXPECT_FALSE(digest_day_due(9, "Asia/Shanghai", kStart + 15 * kHour)) << "00:00, a new local day";
	EXPECT_EQ(digest_day_due(9, "Asia/Shanghai", kStart + kDay), "2026-12-07");
	EXPECT_EQ(digest_day_due(9, "", kStart + 8 * kHour), "2026-12-06") << "no zone: UTC";
	EXPECT_FALSE(digest_day_due(9, "", kStart + 7 * kHour));
	EXPECT_EQ(digest_day_due(0, "UTC", kStart), "2026-12-06");
	EXPECT_FALSE(digest_day_due(24, "UTC", kStart));
	EXPECT_EQ(digest_dedupe_key(-100123, "2026-12-06"), "digest:-100123:2026-12-06");
}

TEST(DigestDue, DaylightSavingDays) {
	// Berlin, 29 March 2026: 02:00 does not exist (clocks jump 02:00 CET -> 03:00 CEST, 01:00 UTC).
	const int64_t mar29 = kMar28 + kDay;
	EXPECT_FALSE(digest_day_due(2, "Europe/Berlin", mar29 + 59 * kMin));
	EXPECT_EQ(digest_day_due(2, "Europe/Berlin", mar29 + kHour), "2026-03-29") << "at the jump: 03:00";
	EXPECT_EQ(digest_day_due(2, "Europe/Berlin", kMar28 + kHour), "2026-03-28") << "02:00 CET the day before";
	EXPECT_FALSE(digest_day_due(2, "Europe/Berlin", kMar28 + kHour - 1));
	// The day after, 02:00 CEST is 00:00 UTC.
	EXPECT_EQ(digest_day_due(2, "Europe/Berlin", mar29 + kDay), "2026-03-30");
	// 25 October 2026: 02:00 happens twice (00:00 and 01:00 UTC): the first.
	const int64_t oct25 = kOct24 + kDay;
	EXPECT_FALSE(digest_day_due(2, "Europe/Berlin", oct25 - 1));
	EXPECT_EQ(digest_day_due(2, "Europe/Berlin", oct25), "2026-10-25");
	// A 25-hour day still ends at local midnight (23:00 UTC).
	EXPECT_EQ(digest_day_due(2, "Europe/Berlin", oct25 + 22 * kHour + 59 * kMin), "2026-10-25");
	EXPECT_FALSE(digest_day_due(2, "Europe/Berlin", oct25 + 23 * kHour));
}

namespace {

class DigestJob : public ::testing::Test {
protected:
	void SetUp() override {
		clock.set(Clock::time_point{std::chrono::milliseconds{kStart - kDay}});
		open();
		web = store->create_server(kChat, "web-01", SigningKey{}, now()).value();
		db = store->create_server(kChat, "db-1", SigningKey{}, now()).value();
		other = store->create_server(7, "elsewhere", SigningKey{}, now()).value();
		auto s = store->chat_settings(kChat).value();
		s.digest_hour = 9;
		s.time_zone = "Asia/Shanghai";
		ASSERT_TRUE(store->put_chat_settings(s).ok());
	}
	void open() { store = store::open_sqlite_store(dir.file("s.db")).value(); }
	int64_t now() const { return clock.unix_millis(); }
	void at(int64_t ms) { clock.set(Clock::time_point{std::chrono::milliseconds{ms}}); }

	// A day of 5-minute reports ending now: web-01's RAM at ram_pct, /data filling 60 -> 68 GiB of
	// 100 (full in about 4 days).
	void day_of_reports(double ram_pct) {
		store::IngestBatch b;
		b.server_id = web;
		b.batch.stream = "0123456789abcdef";
		b.batch.agent_version = "0.1.0";
		double used = 60;
		for (int i = 0; i < 288; ++i) {
			used += 8.0 / 288;
			Report r = serversan::testing::sample_report(++seq, now() - kDay + (i + 1) * 5 * kMin);
			r.interval_s = 300;
			r.memory.used = static_cast<uint64_t>(ram_pct / 100 * static_cast<double>(*r.memory.total));
			Filesystem f;
			f.mount = "/data";
			f.type = "ext4";
			f.total = 100 * kGiB;
			f.used = static_cast<uint64_t>(used * static_cast<double>(kGiB));
			r.filesystems.push_back(f);
			b.batch.reports.push_back(r);
		}
		b.received_ms = now();
		ASSERT_TRUE(store->append({b}).ok());
	}

	DigestStats run() {
		auto st = queue_digests(*store, now());
		EXPECT_TRUE(st.ok()) << st.error().message;
		return st.ok() ? *st : DigestStats{};
	}

	std::vector<store::OutboxMessage> digests() {
		std::vector<store::OutboxMessage> out;
		auto rows = store->due_messages(now() + 1000 * kDay, 1000);
		EXPECT_TRUE(rows.ok());
		for (const auto& m : rows.ok() ? *rows : std::vector<store::OutboxMessage>{})
			if (m.kind == kOutboxKindDigest)
				out.push_back(m);
		return out;
	}

	void queue_notice(AlertMessage m, std::string what) {
		store::OutboxMessage row;
		row.chat_id = kChat;
		row.kind = std::string(kOutboxKindAlert);
		row.payload = encode(m);
		row.dedupe_key =
		    alert_dedupe_key(m.server_id, find_kind(m.kind)->metric, m.device, m.started_ms, what);
		row.created_ms = row.next_attempt_ms = m.at_ms;
		ASSERT_TRUE(store->record_alerts({}, {row}).ok());
	}

	serversan::testing::TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store;
	uint64_t web = 0, db = 0, other = 0, seq = 0;
};

} // namespace

TEST_F(DigestJob, OncePerLocalDayAtTheHourEvenAcrossARestart) {
	at(kStart - 30 * kMin); // 08:30 in Shanghai
	EXPECT_EQ(run().queued, 0u);
	at(kStart + 2 * kMin);
	DigestStats st = run();
	EXPECT_EQ(st.chats, 1u) << "chat 7 chose no hour";
	EXPECT_EQ(st.queued, 1u);
	for (int i = 0; i < 12; ++i) { // the rest of the morning, every 5 minutes
		clock.advance(5min);
		EXPECT_EQ(run().queued, 0u);
	}
	// Sent, then ServerSan restarts the same day: nothing new.
	auto rows = digests();
	ASSERT_EQ(rows.size(), 1u);
	EXPECT_EQ(rows[0].dedupe_key, "digest:42:2026-12-06");
	EXPECT_EQ(rows[0].chat_id, kChat);
	ASSERT_TRUE(store->mark_sent(rows[0].id, now(), 77).ok());
	store.reset();
	open();
	EXPECT_EQ(run().queued, 0u);
	// The next morning: the next one.
	at(kStart + kDay);
	EXPECT_EQ(run().queued, 1u);
	rows = digests();
	ASSERT_EQ(rows.size(), 1u);
	EXPECT_EQ(rows[0].dedupe_key, "digest:42:2026-12-07");
}

TEST_F(DigestJob, NoneWithNotificationsOffOrWithoutServers) {
	auto s = store->chat_settings(kChat).value();
	s.notify = false;
	ASSERT_TRUE(store->put_chat_settings(s).ok());
	// Chat 99 chose an hour but owns no server.
	auto lone = store->chat_settings(99).value();
	lone.digest_hour = 9;
	ASSERT_TRUE(store->put_chat_settings(lone).ok());
	at(kStart + kMin);
	DigestStats st = run();
	EXPECT_EQ(st.chats, 0u);
	EXPECT_EQ(st.queued, 0u);
	EXPECT_TRUE(digests().empty());
	ASSERT_TRUE(store->delete_server(web).value());
	ASSERT_TRUE(store->delete_server(db).value());
	s.notify = true;
	ASSERT_TRUE(store->put_chat_settings(s).ok());
	EXPECT_EQ(run().queued, 0u) << "its servers deleted";
}

TEST_F(DigestJob, ServersTheDaysAlertsAndTrends) {
	at(kStart);
	day_of_reports(84); // RAM at 84 %: under 90, within 10 points
	// db-1 reported once, 30 hours ago, and has been offline since.
	ASSERT_TRUE(
	    store->append({{db, serversan::testing::sample_batch(1, 1, now() - 30 * kHour), now() - 30 * kHour}})
	        .ok());
	store::AlertState off;
	off.server_id = db;
	off.metric = "offline";
	off.state = "firing";
	off.since_ms = now() - 30 * kHour;
	off.value = 29 * 60;
	off.notified_ms = now() - 29 * kHour;
	ASSERT_TRUE(store->put_alert_state(off).ok());
	// web-01's CPU fired at 20:00 UTC and resolved 32 minutes later; a notice of another chat and
	// one older than the day are not this digest's.
	AlertMessage cpu;
	cpu.server_id = web;
	cpu.server_name = "web-01";
	cpu.kind = "cpu";
	cpu.value = 97.5;
	cpu.threshold = 90;
	cpu.started_ms = now() - 5 * kHour - 10 * kMin;
	cpu.at_ms = now() - 5 * kHour;
	queue_notice(cpu, "firing");
	AlertMessage resolved = cpu;
	resolved.state = NoticeState::resolved;
	resolved.value = 41;
	resolved.at_ms = now() - 4 * kHour - 28 * kMin;
	queue_notice(resolved, "resolved");
	AlertMessage old = cpu;
	old.started_ms = now() - 40 * kHour;
	old.at_ms = now() - 40 * kHour;
	queue_notice(old, "firing");

	auto d = build_digest(*store, kChat, store->servers_of(kChat).value(), now());
	ASSERT_TRUE(d.ok()) << d.error().message;
	ASSERT_EQ(d->servers.size(), 2u);
	EXPECT_EQ(d->servers[0].name, "db-1"); // by name
	EXPECT_FALSE(d->servers[0].online);
	const DigestServer& w = d->servers[1];
	EXPECT_TRUE(w.online);
	ASSERT_TRUE(w.cpu && w.ram && w.disk);
	EXPECT_NEAR(*w.cpu, 16, 0.1);
	EXPECT_NEAR(*w.ram, 84, 0.1);
	EXPECT_EQ(w.disk_mount, "/data");
	EXPECT_NEAR(*w.disk, 68, 0.5);

	ASSERT_EQ(d->alerts.size(), 2u);
	EXPECT_EQ(d->alerts[0].kind, "offline"); // started first: 30 h ago, still firing
	EXPECT_EQ(d->alerts[0].server_name, "db-1");
	EXPECT_FALSE(d->alerts[0].resolved_ms);
	EXPECT_EQ(d->alerts[0].severity, "critical");
	EXPECT_EQ(d->alerts[1].kind, "cpu");
	EXPECT_EQ(d->alerts[1].value, 97.5);
	EXPECT_EQ(d->alerts[1].resolved_ms, resolved.at_ms);

	ASSERT_EQ(d->trends.size(), 2u);
	EXPECT_EQ(d->trends[0].kind, "disk");
	EXPECT_EQ(d->trends[0].device, "/data");
	ASSERT_TRUE(d->trends[0].full_ms);
	EXPECT_NEAR(static_cast<double>(*d->trends[0].full_ms - now()), 4.0 * kDay, 3.0 * kHour);
	EXPECT_EQ(d->trends[1].kind, "ram");
	ASSERT_TRUE(d->trends[1].average);
	EXPECT_NEAR(*d->trends[1].average, 84, 0.2);
	EXPECT_EQ(d->trends[1].threshold, 90);

	// The payload round trip.
	auto back = decode_digest(encode(*d));
	ASSERT_TRUE(back.ok()) << back.error().message;
	EXPECT_EQ(*back, *d);
}

TEST_F(DigestJob, QuietHoursSendItSilently) {
	auto s = store->chat_settings(kChat).value();
	s.quiet_from_min = 22 * 60;
	s.quiet_to_min = 9 * 60 + 30;
	ASSERT_TRUE(store->put_chat_settings(s).ok());
	at(kStart + kMin);
	ASSERT_EQ(run().queued, 1u);
	auto d = decode_digest(digests().at(0).payload);
	ASSERT_TRUE(d.ok());
	EXPECT_TRUE(d->silent);
	EXPECT_EQ(d->day, "2026-12-06");
	EXPECT_EQ(digests().at(0).next_attempt_ms, now()) << "not held until 09:30";
}

TEST(DigestMessage, RefusesWhatItDidNotWrite) {
	EXPECT_FALSE(decode_digest("[]").ok());
	EXPECT_FALSE(decode_digest(R"({"v":2,"day":"2026-12-06","at_ms":1,"servers":[]})").ok());
	EXPECT_FALSE(decode_digest(R"({"v":1,"at_ms":1,"servers":[]})").ok());
	EXPECT_TRUE(decode_digest(R"({"v":1,"day":"2026-12-06","at_ms":1,"servers":[]})").ok());
}
