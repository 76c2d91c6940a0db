// WorkerThread: the loop the poller and the sender run on their own threads: call work(), sleep
// as long as it asks (or until wake() or stop()), again; work() returning nullopt ends the loop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace serversan::bot {

class WorkerThread {
public:
	using Work = std::function<std::optional<std::chrono::milliseconds>()>;
	~WorkerThread() { stop(); }

	void start(Work work) {
		std::lock_guard lock(mu_);
		if (thread_.joinable())
			return;
		stopping_ = false;
		thread_ = std::thread([this, work = std::move(work)] {
			while (true) {
				auto wait = work();
				std::unique_lock held(mu_);
				if (!wait)
					return;
				cv_.wait_for(held, *wait, [this] { return stopping_ || woken_; });
				if (stopping_)
					return;
				woken_ = false;
			}
		});
	}
	void wake() {
		std::lock_guard lock(mu_);
		woken_ = true;
		cv_.notify_all();
	}
	// Idempotent; waits for the current work() to return.
	void stop() {
		{
			std::lock_guard lock(mu_);
			stopping_ = true;
			cv_.notify_all();
		}
		if (thread_.joinable())
			thread_.join();
	}

private:
	std::mutex mu_;
	std::condition_variable cv_;
	bool stopping_ = false, woken_ = false;
	std::thread thread_;
};

} // namespace serversan::bot
