// The test clock's route (`serve --test-clock`, main.cpp): end-to-end tests move the server's time
// instead of waiting for it. POST /test/clock with {"set_ms": N} or {"advance_ms": N} first waits
// until every report answered so far has been evaluated, moves the ManualClock (never backwards),
// then runs what is due at the new time: the due jobs (the alert engine's offline sweep and
// reminders, the forecast, roll-ups) until none is, and the outbox's due messages. It answers
// {"now_ms": N, "jobs": runs} once that work is done, so a test needs no sleeps. GET answers the
// time. Loopback clients only (403 otherwise); without --test-clock the route does not exist.
#pragma once

#include <cstddef>
#include <functional>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/routes.h"

namespace serversan::ingest {

struct TestClockSteps {
	std::function<void()> settle;    // returns once answered reports are evaluated
	std::function<size_t()> run_due; // runs the jobs due now; how many ran
	std::function<void()> flush;     // sends the messages due now
};

// Adds POST and GET /test/clock to routes.
void add_test_clock_routes(Routes& routes, ManualClock& clock, TestClockSteps steps);

} // namespace serversan::ingest
