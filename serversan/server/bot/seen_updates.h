// SeenUpdates: the update_ids handled lately, so an update delivered twice (a webhook that
// Telegram retried because the answer was slow, a poll repeated after a failed confirmation)
// runs once: a second /add must not create a second server, a second "new token" must not make
// the first line handed out useless. In memory, the last kCapacity ids; across a restart the
// poller's stored offset does this job. Thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_set>

namespace serversan::bot {

class SeenUpdates {
public:
	static constexpr size_t kCapacity = 4096;
	// True the first time id is offered (remember it), false for a repeat. Ids below 1 are not
	// Telegram's and are never treated as repeats.
	bool first_time(int64_t update_id);

private:
	std::mutex mu_;
	std::array<int64_t, kCapacity> ring_{};
	size_t next_ = 0;
	std::unordered_set<int64_t> ids_;
};

} // namespace serversan::bot
