// Scheduler: runs named periodic jobs on the injected Clock. Every decision reads clock.now(), so a
// test moves a ManualClock and calls run_due(); nothing sleeps for minutes. In production start()
// runs the same run_due() on a thread that waits between rounds and wakes at once on stop().
//
// A job returns true when it has more work than one run should do (a roll-up catching up after
// a restart): it is due again at once, and the thread pauses briefly between such runs, so the
// store's writer (ingest) gets its turn between the job's small transactions. A failed run is
// logged, counted and retried one period later; it never stops the scheduler.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/core/result.h"

namespace serversan::jobs {

class Scheduler {
public:
	// now_ms: the scheduler's clock at the run. Returns "more work pending".
	using JobFn = std::function<Result<bool>(int64_t now_ms)>;

	struct JobStatus {
		std::string name;
		uint64_t runs = 0, failures = 0;
		std::string last_error;
		std::optional<int64_t> last_run_ms;
		int64_t next_ms = 0;
	};

	explicit Scheduler(const Clock& clock,
	                   std::chrono::milliseconds busy_pause = std::chrono::milliseconds(5));
	~Scheduler(); // stops the thread if running
	Scheduler(const Scheduler&) = delete;
	Scheduler& operator=(const Scheduler&) = delete;

	// First due at now + first_delay, then every period after each run.
	void add(std::string name, std::chrono::milliseconds period, JobFn fn,
	         std::chrono::milliseconds first_delay = std::chrono::milliseconds(0));

	// Runs each job that is due at clock.now(), once, in the order added; returns how many ran.
	size_t run_due();
	// The earliest time a job is due, if any job exists.
	std::optional<int64_t> next_due_ms() const;
	std::vector<JobStatus> status() const;

	void start();
	void stop();

private:
	struct Job {
		JobStatus status;
		std::chrono::milliseconds period;
		JobFn fn;
	};
	void loop();

	const Clock& clock_;
	std::chrono::milliseconds busy_pause_;
	mutable std::mutex mu_; // jobs_ bookkeeping
	std::mutex run_mu_;     // one round at a time
	std::vector<Job> jobs_;
	std::condition_variable cv_;
	bool stopping_ = false;
	std::thread thread_;
};

} // namespace serversan::jobs
