#include "serversan/server/jobs/scheduler.h"

#include <algorithm>

#include "serversan/core/log.h"

namespace serversan::jobs {

Scheduler::Scheduler(const Clock& clock, std::chrono::milliseconds busy_pause)
    : clock_(clock),
      busy_pause_(std::clamp(busy_pause, std::chrono::milliseconds(0), std::chrono::milliseconds(1000))) {}

Scheduler::~Scheduler() {
	stop();
}

void Scheduler::add(std::string name, std::chrono::milliseconds period, JobFn fn,
                    std::chrono::milliseconds first_delay) {
	std::lock_guard lock(mu_);
	Job j;
	j.status.name = std::move(name);
	j.status.next_ms = clock_.unix_millis() + first_delay.count();
	j.period = std::max(period, std::chrono::milliseconds(1));
	j.fn = std::move(fn);
	jobs_.push_back(std::move(j));
	cv_.notify_all();
}

size_t Scheduler::run_due() {
	std::lock_guard round(run_mu_);
	size_t ran = 0;
	size_t count = 0;
	{
		std::lock_guard lock(mu_);
		count = jobs_.size();
	}
	for (size_t i = 0; i < count; ++i) {
		JobFn fn;
		std::string name;
		int64_t now = clock_.unix_millis();
		{
			std::lock_guard lock(mu_);
			if (jobs_[i].status.next_ms > now)
				continue;
			fn = jobs_[i].fn;
			name = jobs_[i].status.name;
		}
		// The job runs without mu_: status() and add() stay answerable meanwhile.
		Result<bool> r = Err("not run");
		try {
			r = fn(now);
		} catch (const std::exception& e) {
			r = Err(std::string("exception: ") + e.what());
		}
		++ran;
		std::lock_guard lock(mu_);
		JobStatus& st = jobs_[i].status;
		++st.runs;
		st.last_run_ms = now;
		if (!r.ok()) {
			++st.failures;
			st.last_error = r.error().message;
			log::error("job {}: {}", name, st.last_error);
			st.next_ms = now + jobs_[i].period.count();
		} else {
			st.last_error.clear();
			st.next_ms = *r ? now : now + jobs_[i].period.count();
		}
	}
	return ran;
}

std::optional<int64_t> Scheduler::next_due_ms() const {
	std::lock_guard lock(mu_);
	std::optional<int64_t> next;
	for (const Job& j : jobs_)
		next = next ? std::min(*next, j.status.next_ms) : j.status.next_ms;
	return next;
}

std::vector<Scheduler::JobStatus> Scheduler::status() const {
	std::lock_guard lock(mu_);
	std::vector<JobStatus> out;
	for (const Job& j : jobs_)
		out.push_back(j.status);
	return out;
}

void Scheduler::start() {
	std::lock_guard lock(mu_);
	if (thread_.joinable())
		return;
	stopping_ = false;
	thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
	{
		std::lock_guard lock(mu_);
		stopping_ = true;
	}
	cv_.notify_all();
	if (thread_.joinable())
		thread_.join();
}

void Scheduler::loop() {
	while (true) {
		{
			std::lock_guard lock(mu_);
			if (stopping_)
				return;
		}
		run_due();
		auto next = next_due_ms();
		int64_t now = clock_.unix_millis();
		// Re-read the clock at least every second: a wall clock may jump.
		auto wait = std::chrono::milliseconds(1000);
		if (next)
			wait = std::clamp(std::chrono::milliseconds(*next - now), busy_pause_, wait);
		std::unique_lock lock(mu_);
		cv_.wait_for(lock, wait, [this] { return stopping_; });
	}
}

} // namespace serversan::jobs
