// Live updates: GET /stream hands the listener a stream; committed reports reach the owner's open
// streams as `event: status` (at most one per server per second), pings every 25 s, writers that
// fail are dropped, and the writer's hook reaches both the hub and the next reader.
#include <atomic>
#include <mutex>
#include <thread>

#include "serversan/server/alerts/engine.h"
#include "serversan/server/web/live_hub.h"
#include "test/unit/web/api_fixture.h"

using namespace serversan;
using namespace serversan::web;
using namespace serversan::web::testing;

namespace {

// Thread-safe like the listener's: the hub's thread writes while the test reads.
class FakeWriter final : public ingest::StreamWriter {
public:
	std::vector<std::string> chunks;
	std::atomic<bool> gone = false, closed = false;
	mutable std::mutex mu;
	bool write(std::string chunk) override {
		if (gone)
			return false;
		std::lock_guard lock(mu);
		chunks.push_back(std::move(chunk));
		return true;
	}
	void close() override { closed = true; }
	bool open() const override { return !gone && !closed; }

	std::vector<nlohmann::json> events(std::string_view type) const {
		std::lock_guard lock(mu);
		std::vector<nlohmann::json> out;
		std::string head = "event: " + std::string(type) + "\ndata: ";
		for (const std::string& c : chunks)
			if (c.starts_with(head)) {
				EXPECT_TRUE(c.ends_with("\n\n"));
				out.push_back(nlohmann::json::parse(c.substr(head.size())));
			}
		return out;
	}
	std::vector<nlohmann::json> statuses() const { return events("status"); }
	size_t pings() const {
		std::lock_guard lock(mu);
		return std::count(chunks.begin(), chunks.end(), ": ping\n\n");
	}
};

struct ApiLive : ApiTest {
	std::unique_ptr<LiveHub> hub;
	void configure(ApiDeps& d) override {
		hub = std::make_unique<LiveHub>(*store, clock);
		d.hub = hub.get();
	}
	std::shared_ptr<FakeWriter> open_stream(const std::string& who) {
		Answer a = call("GET", "/api/v1/stream", who);
		EXPECT_EQ(a.status, 200);
		EXPECT_EQ(a.raw.content_type, "text/event-stream");
		auto w = std::make_shared<FakeWriter>();
		if (a.raw.stream)
			a.raw.stream->start(w);
		return w;
	}
	void land(uint64_t server) {
		auto outcomes = report(server);
		hub->committed(last_batches, outcomes);
	}
};

TEST_F(ApiLive, AReportReachesItsOwnersStreamsOnly) {
	auto alice = open_stream("cookie:alice"), alice2 = open_stream("alice"), bob = open_stream("bob");
	EXPECT_EQ(hub->streams(), 3u);
	EXPECT_EQ(alice->chunks.front(), "retry: 5000\n\n");
	land(a_web);
	hub->tick();
	ASSERT_EQ(alice->statuses().size(), 1u);
	EXPECT_EQ(alice->statuses()[0]["name"], "a-web");
	EXPECT_EQ(alice->statuses()[0]["state"], "online");
	EXPECT_DOUBLE_EQ(alice->statuses()[0]["cpu"].get<double>(), 16);
	EXPECT_EQ(alice2->statuses().size(), 1u);
	EXPECT_TRUE(bob->statuses().empty());
	EXPECT_EQ(call("GET", "/api/v1/stream", "").status, 401);
}

TEST_F(ApiLive, AtMostOneStatusPerServerPerSecond) {
	auto alice = open_stream("alice");
	land(a_web);
	hub->tick();
	clock.advance(std::chrono::milliseconds(300));
	land(a_web);
	land(a_db);
	hub->tick();
	ASSERT_EQ(alice->statuses().size(), 2u); // a-db now; a-web waits
	EXPECT_EQ(alice->statuses()[1]["name"], "a-db");
	clock.advance(std::chrono::milliseconds(700));
	hub->tick();
	ASSERT_EQ(alice->statuses().size(), 3u);
	EXPECT_EQ(alice->statuses()[2]["name"], "a-web");
	hub->tick();
	EXPECT_EQ(alice->statuses().size(), 3u); // nothing new
}

TEST_F(ApiLive, PingsEvery25SecondsAndDropsClosedWriters) {
	auto alice = open_stream("alice"), bob = open_stream("bob");
	clock.advance(std::chrono::seconds(24));
	hub->tick();
	EXPECT_EQ(alice->pings(), 0u);
	clock.advance(std::chrono::seconds(1));
	hub->tick();
	EXPECT_EQ(alice->pings(), 1u);
	EXPECT_EQ(bob->pings(), 1u);
	bob->gone = true; // the browser went away
	clock.advance(std::chrono::seconds(25));
	hub->tick();
	EXPECT_EQ(hub->streams(), 1u);
	EXPECT_EQ(alice->pings(), 2u);
}

// A stream lives at most ten minutes: it is told to come back at once and closed, so the next
// connection is authenticated and its servers decided again (a revoked session, a group left).
TEST_F(ApiLive, AStreamIsClosedAfterTenMinutesToBeCheckedAgain) {
	auto alice = open_stream("alice");
	clock.advance(std::chrono::minutes(5));
	auto later = open_stream("alice");
	clock.advance(std::chrono::minutes(5) - std::chrono::milliseconds(1));
	hub->tick();
	EXPECT_FALSE(alice->closed);
	EXPECT_EQ(hub->streams(), 2u);
	clock.advance(std::chrono::milliseconds(1));
	hub->tick();
	EXPECT_TRUE(alice->closed);
	EXPECT_FALSE(later->closed);
	EXPECT_EQ(hub->streams(), 1u);
	{
		std::lock_guard lock(alice->mu);
		ASSERT_FALSE(alice->chunks.empty());
		EXPECT_EQ(alice->chunks.back(), "retry: 500\n\n");
	}
	// Nothing more reaches the closed one.
	land(a_web);
	clock.advance(std::chrono::seconds(2));
	hub->tick();
	EXPECT_TRUE(alice->statuses().empty());
	EXPECT_EQ(later->statuses().size(), 1u);
}

TEST_F(ApiLive, TheWritersHookFeedsTheHubAndTheNextReader) {
	auto alice = open_stream("alice");
	size_t next_saw = 0;
	auto hook = with_live_hub(*hub, [&](std::vector<store::IngestBatch>&& b,
	                                    std::vector<store::IngestOutcome>&&) { next_saw += b.size(); });
	auto outcomes = report(a_web);
	hook(std::move(last_batches), std::move(outcomes));
	EXPECT_EQ(next_saw, 1u);
	hub->tick();
	EXPECT_EQ(alice->statuses().size(), 1u);
}

// The alert engine's observer feeds the hub: a CPU alert of alice's server firing and resolving
// reaches her streams as `event: alert` (docs/api.md's Alert, state firing then resolved); bob,
// watching his own, gets none. A notice's bookkeeping (no state change) sends nothing.
TEST_F(ApiLive, AlertsThatFireOrResolveReachTheOwnersStreams) {
	store::AlertRule rule;
	rule.owner_chat = kUserA;
	rule.metric = "cpu.busy";
	rule.threshold = 50;
	rule.severity = "critical";
	ASSERT_TRUE(store->create_alert_rule(rule).ok());
	alerts::Engine engine(*store);
	engine.set_observer([&](const std::vector<store::AlertState>& changed) { hub->alerts_changed(changed); });
	ASSERT_TRUE(engine.load(now()).ok());
	auto alice = open_stream("alice"), bob = open_stream("bob");
	auto cpu = [&](double busy) {
		Report r = serversan::testing::sample_report(0, 0);
		r.cpu.total.user = busy;
		r.cpu.total.system = 0;
		r.cpu.total.idle = 100 - busy;
		auto outcomes = report(a_web, r);
		ASSERT_TRUE(engine.on_committed(last_batches, outcomes, now()).ok());
		clock.advance(std::chrono::minutes(1));
	};
	cpu(90);
	hub->tick();
	auto fired = alice->events("alert");
	ASSERT_EQ(fired.size(), 1u);
	EXPECT_EQ(fired[0]["server"], a_web);
	EXPECT_EQ(fired[0]["server_name"], "a-web");
	EXPECT_EQ(fired[0]["kind"], "cpu");
	EXPECT_EQ(fired[0]["state"], "firing");
	EXPECT_EQ(fired[0]["severity"], "critical");
	EXPECT_EQ(fired[0]["threshold"], 50);
	EXPECT_DOUBLE_EQ(fired[0]["value"].get<double>(), 90);
	cpu(95); // still firing: no news
	hub->tick();
	EXPECT_EQ(alice->events("alert").size(), 1u);
	cpu(10);
	hub->tick();
	auto all = alice->events("alert");
	ASSERT_EQ(all.size(), 2u);
	EXPECT_EQ(all[1]["state"], "resolved");
	EXPECT_EQ(all[1]["kind"], "cpu");
	EXPECT_TRUE(bob->events("alert").empty());
}

TEST_F(ApiLive, TheThreadSendsWithoutBeingTicked) {
	auto alice = open_stream("alice");
	hub->start();
	land(a_web);
	for (int i = 0; i < 200 && alice->statuses().empty(); ++i) // the hub ticks every 250 ms
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	hub->stop();
	EXPECT_EQ(alice->statuses().size(), 1u);
	EXPECT_TRUE(alice->closed);
}

} // namespace

// A group's server reaches the streams of the group's members (decided when the stream opens,
// by the API's one access rule), its status and its alerts; never someone not in the group.
struct ApiLiveGroups : ApiLive {
	static constexpr int64_t kGroup = -100500;
	FakeMembership membership;
	void configure(ApiDeps& d) override {
		ApiLive::configure(d);
		membership.roles[{kGroup, kUserA}] = fleet::Membership::member;
		d.membership = &membership;
	}
};

TEST_F(ApiLiveGroups, AGroupsServerReachesItsMembersStreams) {
	uint64_t g_web = store->create_server(kGroup, "g-web", SigningKey{}, now()).value();
	ASSERT_TRUE(store->note_chat_member(kGroup, kUserA, "Ops", now()).ok()); // she used the bot in it
	auto alice = open_stream("alice"), bob = open_stream("bob");
	land(g_web);
	land(a_web);
	hub->tick();
	ASSERT_EQ(alice->statuses().size(), 2u);
	EXPECT_TRUE(bob->statuses().empty());
	store::AlertState firing{0, g_web, "", "firing", now(), 97.0};
	firing.metric = "cpu.busy";
	hub->alerts_changed({firing});
	hub->tick();
	ASSERT_EQ(alice->events("alert").size(), 1u);
	EXPECT_EQ(alice->events("alert")[0]["server"], g_web);
	EXPECT_TRUE(bob->events("alert").empty());
}
