// Backoff: how long the agent waits after a failed delivery (docs/protocol.md, section 6).
//
// The wait is bounded by how long the outage has lasted (since its first failure), so a server
// that returns after a short outage is caught up at once and a long outage costs few attempts:
//
//   ceiling(age) = clamp(age / 30, 10 s, 5 min)
//
// that is at most 10 s between attempts for the first 5 minutes, then a thirtieth of the outage
// so far (a minute after half an hour), up to 5 minutes (after 2.5 hours). Within it each delay
// is decorrelated jitter, uniform in [ceiling / 10, 3 x the previous delay] (the first from 1 to
// 3 s): agents that lost the server at the same instant drift apart within a few attempts, and a
// fleet of N reaches a restarted server spread over the ceiling, at most about N / 7 per second
// after a short outage (the mean delay is then 7.3 s). Never shorter than the server's
// Retry-After (itself capped at an hour, so a hostile or broken answer cannot park the agent for
// days). A success ends the outage.
//
// Pure arithmetic on the time it is given: the caller owns the clock and the waiting, so tests
// move time and count attempts without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

namespace serversan::agent {

inline constexpr double kFirstBackoffS = 1;        // the first draw is from 1 to 3 x this
inline constexpr double kShortOutageBackoffS = 10; // the ceiling while an outage is young
inline constexpr double kBackoffAgeDivisor = 30;   // then: the outage's age / 30 ...
inline constexpr double kMaxBackoffS = 300;        // ... up to this
inline constexpr double kMaxRetryAfterS = 3600;

class Backoff {
public:
	using TimePoint = std::chrono::steady_clock::time_point;

	explicit Backoff(uint64_t seed);

	// One more consecutive failure, at `now`: the seconds to wait before the next attempt.
	// retry_after_s: what the server asked for, if anything (already converted to seconds).
	double failure(TimePoint now, std::optional<double> retry_after_s = std::nullopt);
	void success();
	unsigned failures() const { return failures_; }

	// The longest delay (before Retry-After) once an outage has lasted `outage_s` seconds.
	static double ceiling(double outage_s);

private:
	unsigned failures_ = 0;
	TimePoint outage_start_{};
	double previous_s_ = kFirstBackoffS;
	std::minstd_rand rng_;
};

// The attempts of one agent (its back-off seeded with `seed`) against a server that is down for
// outage_s seconds: their times in seconds from the first failure, the failed ones, then the
// first at or after outage_s (the one that succeeds). For the tests and the fleet benchmark.
std::vector<double> outage_attempts(uint64_t seed, double outage_s);

// Retry-After as seconds from now: delta-seconds ("120") or an HTTP date, given the server's
// current time in unix milliseconds (for the date form). nullopt if absent or unreadable.
std::optional<double> retry_after_seconds(std::string_view header, int64_t server_now_ms);

} // namespace serversan::agent
