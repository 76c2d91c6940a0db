#include "serversan/server/bot/seen_updates.h"

namespace serversan::bot {

bool SeenUpdates::first_time(int64_t update_id) {
	if (update_id < 1)
		return true;
	std::lock_guard lock(mu_);
	if (!ids_.insert(update_id).second)
		return false;
	// The oldest id leaves as a new one comes in (0 marks a free slot: ids are positive).
	if (ring_[next_] != 0)
		ids_.erase(ring_[next_]);
	ring_[next_] = update_id;
	next_ = (next_ + 1) % kCapacity;
	return true;
}

} // namespace serversan::bot
