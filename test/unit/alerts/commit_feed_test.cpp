// The feed between the writer and the engine: groups handed over are evaluated on the feed's
// thread, in order, everything queued is evaluated by stop(), and a push after stop() is
// evaluated at once (nothing committed is skipped at shutdown).
#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/alerts/commit_feed.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::alerts;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kChat = 42;

struct Committed {
	std::vector<store::IngestBatch> batches;
	std::vector<store::IngestOutcome> outcomes;
};

Committed commit(store::Store& st, uint64_t server, uint64_t seq, double cpu, int64_t t) {
	store::IngestBatch b;
	b.server_id = server;
	b.batch.stream = "0123456789abcdef";
	b.batch.agent_version = "0.1.0";
	Report r = serversan::testing::sample_report(seq, t);
	r.cpu.total = {};
	r.cpu.total.user = cpu;
	r.cpu.total.idle = 100 - cpu;
	b.batch.reports.push_back(r);
	b.received_ms = t;
	Committed c;
	c.batches.push_back(std::move(b));
	c.outcomes = st.append(c.batches).value();
	return c;
}

TEST(CommitFeed, EvaluatesOnItsThreadAndDrainsAtStop) {
	serversan::testing::TempDir dir;
	auto st = store::open_sqlite_store(dir.file("s.db")).value();
	ManualClock clock;
	const uint64_t web = st->create_server(kChat, "web", SigningKey{}, clock.unix_millis()).value();
	store::AlertRule rule; // CPU over 50 % at once
	rule.owner_chat = kChat;
	rule.metric = "cpu.busy";
	rule.threshold = 50;
	rule.clear_threshold = 40;
	rule.for_s = 0;
	ASSERT_TRUE(st->create_alert_rule(rule).ok());
	Engine engine(*st);
	ASSERT_TRUE(engine.load(clock.unix_millis()).ok());
	CommitFeed feed(engine, clock);
	feed.start();
	for (uint64_t i = 1; i <= 20; ++i) {
		clock.advance(1min);
		auto c = commit(*st, web, i, i == 20 ? 99 : 10, clock.unix_millis());
		feed.push(std::move(c.batches), std::move(c.outcomes));
	}
	feed.stop(); // evaluates what is still queued
	EXPECT_EQ(engine.state(web, "cpu.busy")->state, "firing");
	clock.advance(1min);
	auto c = commit(*st, web, 21, 10, clock.unix_millis());
	feed.push(std::move(c.batches), std::move(c.outcomes)); // after stop: at once
	EXPECT_EQ(engine.state(web, "cpu.busy")->state, "ok");
	auto s = feed.stats();
	EXPECT_EQ(s.groups, 21u);
	EXPECT_EQ(s.reports, 21u);
	EXPECT_EQ(s.dropped, 0u);
	EXPECT_EQ(s.failures, 0u);
	// Due group_wait after they were queued (the bot groups what comes together).
	auto out = st->due_messages(clock.unix_millis() + EngineOptions{}.group_wait_ms, 10).value();
	ASSERT_EQ(out.size(), 2u); // firing, resolved
	EXPECT_EQ(out[0].kind, kOutboxKindAlert);
}

} // namespace
