// POST /test/clock (ingest/test_clock_route.h): who may call it, what it accepts, and that it runs
// the moment's work in order (settle, move, due jobs until none, settle, send) before answering.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serversan/server/ingest/test_clock_route.h"

using namespace serversan;
using namespace serversan::ingest;

namespace {

struct Fixture {
	ManualClock clock{Clock::time_point{std::chrono::milliseconds{1'000'000}}};
	std::vector<std::string> log;
	int jobs_left = 2; // run_due finds work twice, then none
	Routes routes;

	Fixture() {
		TestClockSteps steps;
		steps.settle = [this] { log.push_back("settle@" + std::to_string(clock.unix_millis())); };
		steps.run_due = [this]() -> size_t {
			log.push_back("jobs@" + std::to_string(clock.unix_millis()));
			return jobs_left > 0 ? static_cast<size_t>(jobs_left--) : 0;
		};
		steps.flush = [this] { log.push_back("flush@" + std::to_string(clock.unix_millis())); };
		add_test_clock_routes(routes, clock, std::move(steps));
	}
	RouteResponse call(std::string_view method, std::string_view body, std::string_view ip = "127.0.0.1") {
		RouteRequest r;
		r.method = method;
		r.path = "/test/clock";
		r.client_ip = ip;
		r.body = body;
		return routes.find(method, "/test/clock")->handler(r);
	}
};

} // namespace

TEST(TestClockRoute, MovesThenRunsTheMomentsWorkBeforeAnswering) {
	Fixture f;
	auto r = f.call("POST", R"({"advance_ms": 60000})");
	EXPECT_EQ(r.status, 200);
	EXPECT_EQ(r.body, R"({"now_ms":1060000,"jobs":3})");
	EXPECT_EQ(f.clock.unix_millis(), 1'060'000);
	EXPECT_EQ(f.log, (std::vector<std::string>{"settle@1000000", "jobs@1060000", "jobs@1060000",
	                                           "jobs@1060000", "settle@1060000", "flush@1060000"}));
	EXPECT_EQ(f.call("POST", R"({"set_ms": 2000000})").status, 200);
	EXPECT_EQ(f.clock.unix_millis(), 2'000'000);
	EXPECT_EQ(f.call("GET", "").body, R"({"now_ms":2000000})");
}

TEST(TestClockRoute, NeverGoesBackAndRefusesWhatItCannotRead) {
	Fixture f;
	EXPECT_EQ(f.call("POST", R"({"set_ms": 999999})").status, 409);
	EXPECT_EQ(f.call("POST", R"({"set_ms": 1, "advance_ms": 1})").status, 400);
	EXPECT_EQ(f.call("POST", R"({"advance_ms": "soon"})").status, 400);
	EXPECT_EQ(f.call("POST", "not json").status, 400);
	EXPECT_EQ(f.clock.unix_millis(), 1'000'000);
}

TEST(TestClockRoute, LoopbackOnly) {
	Fixture f;
	EXPECT_EQ(f.call("POST", R"({"advance_ms": 1})", "192.0.2.7").status, 403);
	EXPECT_EQ(f.call("GET", "", "192.0.2.7").status, 403);
	EXPECT_EQ(f.call("POST", R"({"advance_ms": 1})", "::1").status, 200);
	EXPECT_EQ(f.clock.unix_millis(), 1'000'001);
}
