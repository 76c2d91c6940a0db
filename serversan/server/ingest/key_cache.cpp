#include "serversan/server/ingest/key_cache.h"

namespace serversan::ingest {

Result<std::optional<KeyCache::Found>> KeyCache::get(uint64_t server_id) {
	{
		int64_t now = clock_.unix_seconds();
		std::lock_guard lock(mu_);
		if (Entry* e = keys_.find(server_id); e && now - e->loaded_s < options_.ttl_s)
			return std::optional<Found>{Found{e->key, true}};
	}
	auto key = reload(server_id);
	if (!key.ok())
		return key.error();
	if (!*key)
		return std::optional<Found>{};
	return std::optional<Found>{Found{**key, false}};
}

Result<std::optional<ServerKey>> KeyCache::reload(uint64_t server_id) {
	auto key = lookup_(server_id);
	std::lock_guard lock(mu_);
	++store_reads_;
	if (!key.ok())
		return key;
	// Unknown ids are not remembered: made-up ids must not push real keys out, and a server
	// added a moment ago must work at once.
	if (!*key)
		keys_.erase(server_id);
	else
		keys_.put(server_id, Entry{**key, clock_.unix_seconds()});
	return key;
}

void KeyCache::invalidate(uint64_t server_id) {
	std::lock_guard lock(mu_);
	keys_.erase(server_id);
}

void KeyCache::preload(const std::vector<std::pair<uint64_t, ServerKey>>& keys) {
	int64_t now = clock_.unix_seconds();
	std::lock_guard lock(mu_);
	for (const auto& [id, key] : keys) {
		if (keys_.size() >= keys_.capacity())
			break;
		keys_.put(id, Entry{key, now});
	}
}

size_t KeyCache::size() const {
	std::lock_guard lock(mu_);
	return keys_.size();
}

uint64_t KeyCache::store_reads() const {
	std::lock_guard lock(mu_);
	return store_reads_;
}

} // namespace serversan::ingest
