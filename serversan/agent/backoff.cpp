#include "serversan/agent/backoff.h"

#include <algorithm>
#include <cmath>

#include "serversan/agent/collectors/text.h"
#include "serversan/agent/server_answer.h"

namespace serversan::agent {

Backoff::Backoff(uint64_t seed, double first_s, double max_s)
    : first_s_(first_s), max_s_(max_s),
      rng_(static_cast<std::minstd_rand::result_type>(seed % 2147483646 + 1)) {}

double Backoff::failure(std::optional<double> retry_after_s) {
	++failures_;
	double delay =
	    std::min(max_s_, first_s_ * std::ldexp(1.0, static_cast<int>(std::min(failures_ - 1, 30u))));
	delay *= 0.5 + 0.5 * std::uniform_real_distribution<double>(0, 1)(rng_);
	if (retry_after_s && std::isfinite(*retry_after_s))
		delay = std::max(delay, std::clamp(*retry_after_s, 0.0, kMaxRetryAfterS));
	return delay;
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
