// The hourly disk-full check (forecast_check.h) on a real SQLite store and a moved clock: a
// filling disk queues one notice with its predicted date, the next hours queue nothing more, a
// much closer date queues a second, and the chat's settings apply through the gate.
#include <cstdio>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/alerts/delivery_gate.h"
#include "serversan/server/alerts/forecast_check.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::alerts;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kChat = 42;
constexpr uint64_t kGiB = 1ull << 30;

class ForecastCheckTest : public ::testing::Test {
protected:
	void SetUp() override {
		store = store::open_sqlite_store(dir.file("s.db")).value();
		web = store->create_server(kChat, "web1", SigningKey{}, now()).value();
		gate = store_delivery_gate(*store);
	}
	int64_t now() const { return clock.unix_millis(); }

	// One report every 5 minutes for `hours`, /data filling at gib_per_day from used_gib.
	void fill(int hours, double& used_gib, double gib_per_day) {
		store::IngestBatch b;
		b.server_id = web;
		b.batch.stream = "0123456789abcdef";
		b.batch.agent_version = "0.1.0";
		for (int i = 0; i < hours * 12; ++i) {
			clock.advance(5min);
			used_gib += gib_per_day / 288.0;
			Report r = serversan::testing::sample_report(++seq, now());
			Filesystem f;
			f.mount = "/data";
			f.type = "ext4";
			f.total = 100 * kGiB;
			f.used = static_cast<uint64_t>(used_gib * static_cast<double>(kGiB));
			r.filesystems.push_back(f);
			Filesystem t; // memory-backed: never forecast
			t.mount = "/run";
			t.type = "tmpfs";
			t.total = 1 * kGiB;
			t.used = static_cast<uint64_t>(used_gib / 200 * static_cast<double>(kGiB));
			r.filesystems.push_back(t);
			b.batch.reports.push_back(r);
		}
		b.received_ms = now();
		ASSERT_TRUE(store->append({b}).ok());
	}

	ForecastStats check(const ForecastOptions& options = {}) {
		auto st = check_disk_forecasts(*store, gate, now(), options);
		EXPECT_TRUE(st.ok()) << st.error().message;
		return st.ok() ? *st : ForecastStats{};
	}

	std::vector<AlertMessage> notices() {
		std::vector<AlertMessage> out;
		auto rows = store->due_messages(now() + 1000 * kHour, 1000);
		EXPECT_TRUE(rows.ok());
		for (const auto& row : rows.ok() ? *rows : std::vector<store::OutboxMessage>{})
			if (row.kind == kOutboxKindAlert)
				out.push_back(decode_alert_message(row.payload).value());
		return out;
	}

	serversan::testing::TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store;
	uint64_t web = 0;
	uint64_t seq = 0;
	DeliveryGate gate;
};

} // namespace

TEST_F(ForecastCheckTest, AFillingDiskQueuesOneNoticeAndNotASecond) {
	double used = 60;
	fill(24, used, 8); // 68 GiB used after the day, 32 GiB left: full in 4 days
	ForecastStats st = check();
	EXPECT_EQ(st.filesystems, 2u); // "/" (flat) and /data; /run (tmpfs) skipped
	EXPECT_EQ(st.predicted, 1u);
	EXPECT_EQ(st.notices, 1u);
	auto n = notices();
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].state, NoticeState::forecast);
	EXPECT_EQ(n[0].kind, "disk");
	EXPECT_EQ(n[0].device, "/data");
	EXPECT_EQ(n[0].server_name, "web1");
	ASSERT_TRUE(n[0].evidence.full_ms && n[0].evidence.fill_per_s && n[0].evidence.bytes_left);
	EXPECT_NEAR(static_cast<double>(*n[0].evidence.full_ms - now()), 4.0 * kDay, 2.0 * kHour);
	EXPECT_NEAR(*n[0].evidence.fill_per_s * 86'400 / kGiB, 8.0, 0.2);
	EXPECT_EQ(n[0].evidence.total, 100 * kGiB);

	// The same prediction hour after hour, and a day later (date unchanged): nothing new.
	for (int h = 0; h < 30; ++h) {
		fill(1, used, 8);
		EXPECT_EQ(check().notices, 0u) << "hour " << h;
	}
	EXPECT_EQ(notices().size(), 1u);
}

TEST_F(ForecastCheckTest, OnlyAMuchCloserDateNotifiesAgain) {
	double used = 60;
	fill(24, used, 6); // 34 GiB left at 6 GiB a day: ~5.7 days
	ASSERT_EQ(check().notices, 1u);
	// Twice as fast for a day: the date moves closer, but by less than half of the warning.
	fill(12, used, 9);
	EXPECT_EQ(check().notices, 0u);
	// Then 30 GiB a day, checked every hour: a notice each time the date is much closer than the
	// last one notified (5.7 days -> about 2.5 -> about 1), never two for one step.
	uint64_t more = 0;
	for (int h = 0; h < 16; ++h) {
		fill(1, used, 30);
		more += check().notices;
	}
	auto n = notices();
	ASSERT_EQ(n.size(), 1 + more);
	EXPECT_GE(more, 1u);
	EXPECT_LE(more, 2u);
	for (size_t i = 1; i < n.size(); ++i) {
		EXPECT_TRUE(moved_much_closer(*n[i - 1].evidence.full_ms, n[i - 1].at_ms, *n[i].evidence.full_ms));
		std::printf("notice %zu: full in %.1f days\n", i,
		            static_cast<double>(*n[i].evidence.full_ms - n[i].at_ms) / kDay);
	}
}

TEST_F(ForecastCheckTest, FlatDiskAndMutedDiskQueueNothing) {
	double used = 60;
	fill(24, used, 0);
	EXPECT_EQ(check().predicted, 0u);
	fill(24, used, 8);
	auto settings = store->chat_settings(kChat).value();
	settings.muted_kinds = {"disk"};
	ASSERT_TRUE(store->put_chat_settings(settings).ok());
	ForecastStats st = check();
	EXPECT_EQ(st.predicted, 1u);
	EXPECT_EQ(st.notices, 0u);
	EXPECT_TRUE(notices().empty());
	// Unmuted: the next hour sends it.
	settings.muted_kinds = {};
	ASSERT_TRUE(store->put_chat_settings(settings).ok());
	EXPECT_EQ(check().notices, 1u);
}

// The disk alert of /data fires: the chat knows the disk is filling, a forecast would repeat it.
TEST_F(ForecastCheckTest, NoForecastForADiskWhoseAlertFires) {
	double used = 60;
	fill(24, used, 8);
	store::AlertState st;
	st.server_id = web;
	st.metric = std::string(find_kind("disk")->metric);
	st.device = "/data";
	st.state = "firing";
	st.since_ms = now() - kHour;
	st.notified_ms = now() - kHour;
	ASSERT_TRUE(store->put_alert_state(st).ok());
	ForecastStats s = check();
	EXPECT_EQ(s.predicted, 1u);
	EXPECT_EQ(s.firing, 1u);
	EXPECT_EQ(s.notices, 0u);
	// Resolved: the next hour's prediction goes out.
	st.state = "ok";
	ASSERT_TRUE(store->put_alert_state(st).ok());
	fill(1, used, 8);
	EXPECT_EQ(check().notices, 1u);
}

// forecast_horizon and forecast_window: 4 days ahead is beyond a 3-day horizon; a 6 h window
// fits the last 6 hours only (the day before them was flat).
TEST_F(ForecastCheckTest, TheHorizonAndTheWindowAreOptions) {
	double used = 60;
	fill(18, used, 0);
	fill(6, used, 8);
	EXPECT_EQ(check({.window_ms = 24 * kHour, .horizon_ms = 7 * kDay}).notices, 0u) << "a day mostly flat";
	EXPECT_EQ(check({.window_ms = 6 * kHour, .horizon_ms = 3 * kDay}).notices, 0u) << "beyond the horizon";
	EXPECT_EQ(check({.window_ms = 6 * kHour, .horizon_ms = 7 * kDay}).notices, 1u);
}

TEST_F(ForecastCheckTest, ASilentServerIsNotForecast) {
	double used = 60;
	fill(24, used, 8);
	clock.advance(2h);
	EXPECT_EQ(check().filesystems, 0u);
}

TEST(ForecastDedupeTest, MovedMuchCloser) {
	int64_t at = 0;
	EXPECT_FALSE(moved_much_closer(6 * kDay, at, 4 * kDay));
	EXPECT_TRUE(moved_much_closer(6 * kDay, at, 3 * kDay));
	EXPECT_FALSE(moved_much_closer(1 * kDay, at, kDay / 2)); // at least a day earlier
	EXPECT_FALSE(moved_much_closer(3 * kDay, at, 5 * kDay));
	EXPECT_EQ(forecast_dedupe_key(7, "/", 3 * kDay + 5), forecast_dedupe_key(7, "/", 4 * kDay - 1));
	EXPECT_NE(forecast_dedupe_key(7, "/", 3 * kDay), forecast_dedupe_key(7, "/", 4 * kDay));
}
