// Retention on a moved clock: each tier keeps its own span, nothing is deleted before it is rolled
// up, deleted servers' data goes in small batches, events and sent messages expire.
#include <gtest/gtest.h>

#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

struct RetentionFixture : ::testing::Test {
	TempDir dir;
	std::unique_ptr<Store> store;
	uint64_t id = 0;
	uint64_t seq = 0;
	void SetUp() override {
		StoreOptions o;
		o.path = dir.file("s.db");
		o.retention.raw_ms = kDayMs;
		o.retention.m5_ms = 3 * kDayMs;
		o.retention.h1_ms = 10 * kDayMs;
		o.retention.events_ms = 20 * kDayMs;
		o.retention.outbox_ms = 5 * kDayMs;
		store = open_store(o).value();
		id = store->create_server(std::nullopt, "web", SigningKey{}, T0).value();
	}
	void feed(int64_t start, size_t n, uint64_t server = 0) {
		ASSERT_TRUE(
		    store
		        ->append({{server ? server : id, serversan::testing::sample_batch(seq + 1, n, start), start}})
		        .ok());
		seq += n;
	}
	void roll(int64_t now) {
		for (int i = 0; i < 100000; ++i) {
			auto p = store->rollup(now, {});
			ASSERT_TRUE(p.ok()) << p.error().message;
			if (!p->more)
				return;
		}
		FAIL() << "roll-ups never finished";
	}
	int purge(int64_t now, PurgeLimits limits = {}) {
		int steps = 0;
		for (; steps < 100000; ++steps) {
			auto p = store->purge(now, limits);
			EXPECT_TRUE(p.ok()) << p.error().message;
			if (!p.ok() || !p->more)
				return steps + 1;
		}
		ADD_FAILURE() << "retention never finished";
		return steps;
	}
	size_t points(Tier tier, int64_t from, int64_t to, uint64_t server = 0) {
		SeriesQuery q;
		q.server_id = server ? server : id;
		q.metric = "cpu.busy";
		q.from_ms = from;
		q.to_ms = to;
		q.tier = tier;
		return store->series(q).value().points.size();
	}
	uint64_t table_rows(const std::string& name) {
		// A named local: ranging over a member of the temporary Result would dangle.
		const store::StoreStats stats = store->stats().value();
		for (const TableStats& t : stats.tables)
			if (t.name == name)
				return t.rows;
		return 0;
	}
};

} // namespace

TEST_F(RetentionFixture, EachTierKeepsItsSpanAndNothingGoesBeforeItIsRolledUp) {
	feed(T0, 60);
	feed(T0 + 2 * kDayMs, 60);
	int64_t now = T0 + 2 * kDayMs + 2 * kHourMs;
	purge(now); // no roll-up yet: raw must stay
	EXPECT_EQ(store->count_samples(id).value(), 120u);

	roll(now);
	purge(now);
	EXPECT_EQ(store->count_samples(id).value(), 60u); // the first day's raw rows are gone
	EXPECT_EQ(points(Tier::m5, T0, T0 + kHourMs), 12u);
	EXPECT_EQ(points(Tier::h1, T0, T0 + kHourMs), 1u);

	now = T0 + 4 * kDayMs;
	roll(now);
	purge(now);
	EXPECT_EQ(points(Tier::m5, T0, T0 + kHourMs), 0u);
	EXPECT_EQ(points(Tier::h1, T0, T0 + kHourMs), 1u);
	EXPECT_EQ(points(Tier::m5, T0 + 2 * kDayMs, T0 + 2 * kDayMs + kHourMs), 12u);
	EXPECT_EQ(store->count_samples(id).value(), 0u);

	now = T0 + 11 * kDayMs;
	roll(now);
	purge(now);
	EXPECT_EQ(points(Tier::h1, T0, T0 + kHourMs), 0u);
	EXPECT_EQ(points(Tier::h1, T0 + 2 * kDayMs, T0 + 2 * kDayMs + kHourMs), 1u);
	EXPECT_EQ(store->list_devices(id).value().size(), 1u); // "/" still has hours kept

	now = T0 + 13 * kDayMs;
	roll(now);
	purge(now);
	EXPECT_TRUE(store->list_devices(id).value().empty());
	EXPECT_EQ(table_rows("rollup_1h") + table_rows("rollup_5m") + table_rows("rollup_dev_1h"), 0u);
}

TEST_F(RetentionFixture, ADeletedServersDataGoesInSmallBatches) {
	uint64_t other = store->create_server(std::nullopt, "keep", SigningKey{}, T0).value();
	for (int i = 0; i < 4; ++i)
		feed(T0 + i * 100 * kMinuteMs, 100);
	feed(T0, 10, other);
	roll(T0 + 7 * kHourMs);
	ASSERT_GT(table_rows("rollup_5m"), 0u);
	ASSERT_TRUE(store->delete_server(id).value());
	EXPECT_FALSE(store->find_server(id).value());      // gone at once for ingest and the bot
	EXPECT_EQ(store->count_samples(id).value(), 400u); // history still there until retention runs

	PurgeLimits small;
	small.rows_per_step = 25;
	int steps = purge(T0 + 7 * kHourMs, small);
	EXPECT_GT(steps, 16); // 400 raw rows alone need 16 steps of 25
	EXPECT_EQ(store->count_samples(id).value(), 0u);
	EXPECT_EQ(points(Tier::m5, T0, T0 + 7 * kHourMs), 0u);
	EXPECT_EQ(points(Tier::h1, T0, T0 + 7 * kHourMs), 0u);
	EXPECT_EQ(table_rows("deleted_servers"), 0u);
	EXPECT_EQ(table_rows("devices"), 1u); // the other server's "/"
	EXPECT_EQ(store->count_samples(other).value(), 10u);
	EXPECT_EQ(points(Tier::m5, T0, T0 + kHourMs, other), 2u);
}

TEST_F(RetentionFixture, EventsAndSentMessagesExpire) {
	Event old_event, new_event;
	old_event.kind = new_event.kind = "server_offline";
	old_event.ts_ms = T0;
	new_event.ts_ms = T0 + 15 * kDayMs;
	store->add_event(old_event).value();
	uint64_t kept = store->add_event(new_event).value();
	OutboxMessage m;
	m.chat_id = 1;
	m.payload = "x";
	m.created_ms = T0;
	uint64_t sent = store->enqueue_message(m).value();
	uint64_t queued = store->enqueue_message(m).value();
	ASSERT_TRUE(store->mark_sent(sent, T0, std::nullopt).value());
	purge(T0 + 21 * kDayMs);
	auto events = store->list_events({}).value();
	ASSERT_EQ(events.size(), 1u);
	EXPECT_EQ(events[0].id, kept);
	EXPECT_EQ(table_rows("outbox"), 1u); // the queued one is never expired
	EXPECT_EQ(store->due_messages(T0 + 21 * kDayMs, 10).value().front().id, queued);
}
