// The scheduler on a ManualClock: when jobs run, catching up, failures, and the thread.
#include <atomic>
#include <chrono>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/jobs/scheduler.h"

using namespace serversan;
using namespace serversan::jobs;
using namespace std::chrono_literals;

TEST(Scheduler, RunsEachJobWhenDueOnTheInjectedClock) {
	ManualClock clock;
	Scheduler s(clock);
	std::vector<std::string> log;
	s.add("every-minute", 1min, [&](int64_t) -> Result<bool> {
		log.push_back("m");
		return false;
	});
	s.add(
	    "every-10-minutes", 10min,
	    [&](int64_t) -> Result<bool> {
		    log.push_back("t");
		    return false;
	    },
	    30s);
	EXPECT_EQ(s.run_due(), 1u); // the minute job is due at once, the other after 30 s
	EXPECT_EQ(s.run_due(), 0u);
	clock.advance(30s);
	EXPECT_EQ(s.run_due(), 1u);
	for (int i = 0; i < 20; ++i) {
		clock.advance(1min);
		s.run_due();
	}
	EXPECT_EQ(std::count(log.begin(), log.end(), "m"), 21);
	EXPECT_EQ(std::count(log.begin(), log.end(), "t"), 3);
	EXPECT_EQ(s.next_due_ms(), clock.unix_millis() + 60'000); // a period after the run
}

TEST(Scheduler, AJobWithMoreWorkIsDueAgainAtOnce) {
	ManualClock clock;
	Scheduler s(clock);
	int left = 3, runs = 0;
	s.add("catch-up", 1h, [&](int64_t) -> Result<bool> {
		++runs;
		return --left > 0;
	});
	while (s.run_due() > 0) {
	}
	EXPECT_EQ(runs, 3);
	EXPECT_EQ(s.next_due_ms(), clock.unix_millis() + 3'600'000);
}

TEST(Scheduler, AFailureIsCountedAndRetriedNextPeriod) {
	ManualClock clock;
	Scheduler s(clock);
	int runs = 0;
	s.add("flaky", 5min, [&](int64_t now) -> Result<bool> {
		EXPECT_EQ(now, clock.unix_millis());
		if (++runs == 1)
			return Err("disk on fire");
		if (runs == 2)
			throw std::runtime_error("worse");
		return false;
	});
	s.run_due();
	auto st = s.status().front();
	EXPECT_EQ(st.failures, 1u);
	EXPECT_EQ(st.last_error, "disk on fire");
	EXPECT_EQ(s.run_due(), 0u);
	clock.advance(5min);
	s.run_due();
	EXPECT_EQ(s.status().front().failures, 2u);
	EXPECT_NE(s.status().front().last_error.find("worse"), std::string::npos);
	clock.advance(5min);
	s.run_due();
	st = s.status().front();
	EXPECT_EQ(st.runs, 3u);
	EXPECT_EQ(st.failures, 2u);
	EXPECT_TRUE(st.last_error.empty());
}

TEST(Scheduler, TheThreadRunsDueJobsAndStopsAtOnce) {
	ManualClock clock;
	Scheduler s(clock, 1ms);
	std::atomic<int> runs{0};
	s.add("tick", 1h, [&](int64_t) -> Result<bool> {
		++runs;
		return false;
	});
	s.start();
	for (int i = 0; i < 2000 && runs.load() == 0; ++i)
		std::this_thread::sleep_for(1ms);
	EXPECT_EQ(runs.load(), 1);
	clock.advance(1h); // the thread re-reads the clock at least every second
	for (int i = 0; i < 3000 && runs.load() == 1; ++i)
		std::this_thread::sleep_for(1ms);
	EXPECT_EQ(runs.load(), 2);
	auto t0 = std::chrono::steady_clock::now();
	s.stop();
	EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
}
