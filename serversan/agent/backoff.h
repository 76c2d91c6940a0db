// Backoff: how long the agent waits after a failed delivery (docs/protocol.md, section 6):
// exponential from 1 s, doubling per consecutive failure, capped at 5 minutes, with jitter (each
// delay is drawn from [d/2, d], so agents that lost the server together do not return together),
// and never shorter than the server's Retry-After (itself capped at an hour, so a hostile or
// broken answer cannot park the agent for days). A success resets it.
//
// Pure arithmetic: the caller owns the clock and the waiting, so tests count attempts without
// sleeping.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace serversan::agent {

inline constexpr double kFirstBackoffS = 1;
inline constexpr double kMaxBackoffS = 300;
inline constexpr double kMaxRetryAfterS = 3600;

class Backoff {
public:
	explicit Backoff(uint64_t seed, double first_s = kFirstBackoffS, double max_s = kMaxBackoffS);

	// One more consecutive failure: the seconds to wait before the next attempt.
	// retry_after_s: what the server asked for, if anything (already converted to seconds).
	double failure(std::optional<double> retry_after_s = std::nullopt);
	void success() { failures_ = 0; }
	unsigned failures() const { return failures_; }

private:
	double first_s_, max_s_;
	unsigned failures_ = 0;
	std::minstd_rand rng_;
};

// Retry-After as seconds from now: delta-seconds ("120") or an HTTP date, given the server's
// current time in unix milliseconds (for the date form). nullopt if absent or unreadable.
std::optional<double> retry_after_seconds(std::string_view header, int64_t server_now_ms);

} // namespace serversan::agent
