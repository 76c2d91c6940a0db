#include "serversan/server/ingest/test_clock_route.h"

#include <memory>
#include <mutex>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace serversan::ingest {

namespace {

bool loopback(std::string_view ip) {
	return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
}

RouteResponse answer(int status, std::string body) {
	return RouteResponse{status, "application/json", std::move(body)};
}

std::string error(std::string_view message) {
	return nlohmann::json{{"error", message}}.dump();
}

} // namespace

void add_test_clock_routes(Routes& routes, ManualClock& clock, TestClockSteps steps) {
	routes.add("GET", "/test/clock", [&clock](const RouteRequest& r) {
		if (!loopback(r.client_ip))
			return answer(403, error("loopback only"));
		return answer(200, fmt::format("{{\"now_ms\":{}}}", clock.unix_millis()));
	});
	// One move at a time: two tests' moves interleaved would run each other's moments.
	auto moving = std::make_shared<std::mutex>();
	routes.add("POST", "/test/clock", [&clock, steps = std::move(steps), moving](const RouteRequest& r) {
		if (!loopback(r.client_ip))
			return answer(403, error("loopback only"));
		auto body = nlohmann::json::parse(r.body, nullptr, false);
		if (!body.is_object() || (body.contains("set_ms") == body.contains("advance_ms")))
			return answer(400, error("expected {\"set_ms\": N} or {\"advance_ms\": N}"));
		auto value = body.contains("set_ms") ? body["set_ms"] : body["advance_ms"];
		if (!value.is_number_integer())
			return answer(400, error("the time is an integer of milliseconds"));
		std::lock_guard lock(*moving);
		steps.settle();
		const int64_t now = clock.unix_millis();
		const int64_t to = body.contains("set_ms") ? value.get<int64_t>() : now + value.get<int64_t>();
		if (to < now)
			return answer(409, error(fmt::format("the clock never goes back (now {}, asked {})", now, to)));
		clock.set(Clock::time_point{std::chrono::milliseconds{to}});
		// A job may queue work another finds due (a roll-up, then the forecast): until none runs.
		size_t runs = 0;
		for (int round = 0; round < 1000; ++round) {
			size_t ran = steps.run_due();
			runs += ran;
			if (ran == 0)
				break;
		}
		steps.settle();
		steps.flush();
		return answer(200, fmt::format("{{\"now_ms\":{},\"jobs\":{}}}", to, runs));
	});
}

} // namespace serversan::ingest
