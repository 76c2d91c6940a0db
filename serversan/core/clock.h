// Clock: where every time-dependent decision (replay windows, alerts, retention) reads "now".
// Production uses SystemClock; tests use ManualClock and move time instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace serversan {

class Clock {
public:
	using time_point = std::chrono::system_clock::time_point;
	virtual ~Clock() = default;
	virtual time_point now() const = 0;

	int64_t unix_seconds() const {
		return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
	}
	int64_t unix_millis() const {
		return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
	}
};

class SystemClock final : public Clock {
public:
	time_point now() const override { return std::chrono::system_clock::now(); }
	// The process-wide instance, for code that has no clock injected (main wiring only).
	static const SystemClock& instance();
};

// A clock that only moves when told to. Safe to read from several threads.
class ManualClock final : public Clock {
public:
	explicit ManualClock(time_point start = time_point{std::chrono::seconds{1'764'000'000}})
	    : ns_(start.time_since_epoch().count()) {}
	time_point now() const override { return time_point{time_point::duration{ns_.load()}}; }
	void set(time_point t) { ns_.store(t.time_since_epoch().count()); }
	void advance(std::chrono::nanoseconds d) {
		ns_.fetch_add(std::chrono::duration_cast<time_point::duration>(d).count());
	}

private:
	std::atomic<time_point::rep> ns_;
};

} // namespace serversan
