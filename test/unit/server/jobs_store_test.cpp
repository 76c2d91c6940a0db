// The store jobs on a moved clock: a server added but silent for 30 minutes is deleted with an
// event for its owner; roll-ups and retention run from the scheduler.
#include <chrono>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/jobs/store_jobs.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::jobs;
using namespace std::chrono_literals;
using serversan::testing::TempDir;

namespace {

struct JobsFixture : ::testing::Test {
	TempDir dir;
	ManualClock clock{std::chrono::system_clock::time_point{std::chrono::milliseconds{1'764'000'000'000}}};
	std::unique_ptr<store::Store> store;
	void SetUp() override { store = store::open_sqlite_store(dir.file("s.db")).value(); }
	int64_t now() const { return clock.unix_millis(); }
	uint64_t add(const std::string& name, std::optional<int64_t> owner) {
		return store::enroll_server(*store, owner, name, now()).value().server_id;
	}
};

} // namespace

TEST_F(JobsFixture, AServerThatNeverReportsIsDeletedAfter30MinutesWithAnEvent) {
	Scheduler s(clock);
	add_store_jobs(s, *store, JobsOptions{});
	uint64_t silent = add("silent", int64_t{42});
	uint64_t active = add("active", int64_t{42});
	uint64_t cli = add("from-cli", std::nullopt);
	clock.advance(10min);
	ASSERT_TRUE(store->append({{active, serversan::testing::sample_batch(1, 1, now()), now()}}).ok());
	uint64_t late = add("added-later", int64_t{7});

	clock.advance(19min + 59s); // 29:59 after the first three were added
	s.run_due();
	EXPECT_TRUE(store->find_server(silent).value());
	EXPECT_TRUE(store->find_server(cli).value());

	clock.advance(1s + 1min); // the cleanup runs every minute: deleted between 30 and 31 minutes
	s.run_due();
	EXPECT_FALSE(store->find_server(silent).value());
	EXPECT_FALSE(store->find_server(cli).value());
	EXPECT_TRUE(store->find_server(active).value()); // it reported
	EXPECT_TRUE(store->find_server(late).value());   // its 30 minutes are not over

	auto events = store->unhandled_events(10).value();
	std::vector<std::string> got;
	for (const auto& e : events)
		if (e.kind == store::kEventServerDeletedUnused)
			got.push_back(e.server_name + "@" + (e.owner_chat ? std::to_string(*e.owner_chat) : "-"));
	EXPECT_EQ(got, (std::vector<std::string>{"silent@42", "from-cli@-"}));
	for (const auto& e : events)
		if (e.kind == store::kEventServerDeletedUnused) {
			EXPECT_EQ(e.ts_ms, now());
			EXPECT_NE(e.detail.find("never reported"), std::string::npos);
		}

	clock.advance(20min);
	s.run_due();
	EXPECT_FALSE(store->find_server(late).value());
	EXPECT_EQ(cleanup_unused_servers(*store, now(), 30min).value(), 0u);
}

TEST_F(JobsFixture, RollupsAndRetentionRunFromTheScheduler) {
	uint64_t id = add("web", int64_t{1});
	int64_t start = now();
	ASSERT_TRUE(store->append({{id, serversan::testing::sample_batch(1, 120, start), start}}).ok());
	Scheduler s(clock);
	JobsOptions o;
	o.steps_per_run = 3; // force several runs to finish
	add_store_jobs(s, *store, o);
	clock.advance(2h + 10min);
	int rounds = 0;
	while (s.run_due() > 0 && rounds < 1000)
		++rounds;
	EXPECT_GT(rounds, 1);
	store::SeriesQuery q;
	q.server_id = id;
	q.metric = "cpu.busy";
	q.from_ms = start;
	q.to_ms = start + 2 * store::kHourMs;
	q.tier = store::Tier::h1;
	auto h = store->series(q).value();
	ASSERT_EQ(h.points.size(), 2u);
	EXPECT_DOUBLE_EQ(h.points[0].avg, 16.0);
	for (const auto& j : s.status())
		EXPECT_EQ(j.failures, 0u) << j.name << ": " << j.last_error;

	// Eight days on, the raw rows are past their 7 days and rolled up: retention removes them.
	clock.advance(8 * 24h);
	while (s.run_due() > 0) {
	}
	EXPECT_EQ(store->count_samples(id).value(), 0u);
	EXPECT_EQ(store->series(q).value().points.size(), 2u);
}
