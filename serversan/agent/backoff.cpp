#include "serversan/agent/backoff.h"

#include <algorithm>
#include <cmath>

#include "serversan/agent/collectors/text.h"
#include "serversan/agent/server_answer.h"

namespace serversan::agent {

namespace {

// Nearby seeds (tests number their agents 1, 2, 3...) must give unrelated streams: minstd's first
// draws from small seeds are all close to 0. One splitmix64 step spreads them.
std::minstd_rand::result_type mixed(uint64_t seed) {
	seed += 0x9e3779b97f4a7c15;
	seed = (seed ^ (seed >> 30)) * 0xbf58476d1ce4e5b9;
	seed = (seed ^ (seed >> 27)) * 0x94d049bb133111eb;
	seed ^= seed >> 31;
	return static_cast<std::minstd_rand::result_type>(seed % 2147483646 + 1);
}

} // namespace

Backoff::Backoff(uint64_t seed) : rng_(mixed(seed)) {}

double Backoff::ceiling(double outage_s) {
	return std::clamp(outage_s / kBackoffAgeDivisor, kShortOutageBackoffS, kMaxBackoffS);
}

double Backoff::failure(TimePoint now, std::optional<double> retry_after_s) {
	if (failures_++ == 0)
		outage_start_ = now;
	double age = std::chrono::duration<double>(now - outage_start_).count();
	// The floor keeps a long outage from collapsing to 1-second retries by a run of low draws.
	double top = ceiling(age), floor = top / 10;
	double delay =
	    std::min(top, std::uniform_real_distribution<double>(floor, std::max(floor, previous_s_ * 3))(rng_));
	previous_s_ = delay;
	if (retry_after_s && std::isfinite(*retry_after_s))
		delay = std::max(delay, std::clamp(*retry_after_s, 0.0, kMaxRetryAfterS));
	return delay;
}

void Backoff::success() {
	failures_ = 0;
	previous_s_ = kFirstBackoffS;
}

std::vector<double> outage_attempts(uint64_t seed, double outage_s) {
	Backoff b(seed);
	const Backoff::TimePoint start{};
	std::vector<double> times{0};
	while (times.back() < outage_s) {
		auto now = start + std::chrono::duration_cast<Backoff::TimePoint::duration>(
		                       std::chrono::duration<double>(times.back()));
		times.push_back(times.back() + b.failure(now));
	}
	return times;
}

std::optional<double> retry_after_seconds(std::string_view header, int64_t server_now_ms) {
	header = trim(header);
	if (header.empty())
		return std::nullopt;
	if (auto seconds = to_u64(header))
		return static_cast<double>(std::min<uint64_t>(*seconds, static_cast<uint64_t>(kMaxRetryAfterS)));
	if (auto when = parse_http_date_ms(header))
		return std::clamp(static_cast<double>(*when - server_now_ms) / 1000.0, 0.0, kMaxRetryAfterS);
	return std::nullopt;
}

} // namespace serversan::agent
