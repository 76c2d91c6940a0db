// KeyCache: signing keys in memory, so that checking a request's MAC does not touch the store
// (whose single connection the writer holds during every commit and fsync).
//
// Rotation happens in another process (the CLI) or in the bot, and the old token must stop
// working at once (docs/protocol.md section 2). No TTL short enough for that would leave the
// cache any use (agents report every 10 to 60 s), so the cache is never trusted alone:
//  - a MAC that fails against a cached key is checked again against a fresh read from the store
//    before the 401 (reload()), so a new token works at once;
//  - a MAC that verifies against a cached key is confirmed at the commit: every key has a
//    version that grows with each rotation, the batch carries the version it was verified with,
//    and the store's append compares it inside its transaction and stores nothing (401) if it
//    changed, so an old token stops working at once.
// The TTL only bounds how long a deleted server's key lingers; the capacity bounds memory.
// Thread-safe; store reads happen outside the lock.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/core/result.h"
#include "serversan/core/token.h"
#include "serversan/server/ingest/lru_map.h"

namespace serversan::ingest {

struct KeyCacheOptions {
	size_t capacity = 200'000; // about 100 bytes each
	int64_t ttl_s = 3600;
};

// A server's signing key with its version (store::ServerRecord::key_version).
struct ServerKey {
	SigningKey key{};
	uint64_t version = 0;
	friend bool operator==(const ServerKey&, const ServerKey&) = default;
};

// Reads one server's current signing key from the store; nullopt: no such server.
using KeyLookup = std::function<Result<std::optional<ServerKey>>(uint64_t server_id)>;

class KeyCache {
public:
	KeyCache(KeyLookup lookup, const Clock& clock, KeyCacheOptions options)
	    : lookup_(std::move(lookup)), clock_(clock), options_(options), keys_(options.capacity) {}

	struct Found {
		ServerKey key;
		bool from_cache = false; // false: just read from the store
	};
	// The server's key, from memory when fresh, else from the store. nullopt: unknown server.
	Result<std::optional<Found>> get(uint64_t server_id);
	// Reads the store again and remembers the answer.
	Result<std::optional<ServerKey>> reload(uint64_t server_id);
	void invalidate(uint64_t server_id);
	// Fills the cache at start (up to its capacity), so the first minute after a restart does
	// not send every agent's first request to the store.
	void preload(const std::vector<std::pair<uint64_t, ServerKey>>& keys);

	size_t size() const;
	uint64_t store_reads() const;

private:
	struct Entry {
		ServerKey key;
		int64_t loaded_s;
	};
	KeyLookup lookup_;
	const Clock& clock_;
	KeyCacheOptions options_;
	mutable std::mutex mu_;
	LruMap<uint64_t, Entry> keys_;
	uint64_t store_reads_ = 0;
};

} // namespace serversan::ingest
