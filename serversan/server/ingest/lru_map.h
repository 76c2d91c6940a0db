// LruMap: a map with a fixed capacity that forgets the least recently used entry when full.
// The abuse-limit tables (rate limiters, failed-authentication counts) and the signing-key cache
// use it so that no client, however many addresses or ids it makes up, can grow our memory past
// the configured caps. Not thread-safe: each owner guards it with its own mutex.
#pragma once

#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace serversan::ingest {

template <typename K, typename V, typename Hash = std::hash<K>>
class LruMap {
public:
	explicit LruMap(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

	// The value of key, marked as used now; nullptr if absent.
	V* find(const K& key) {
		auto it = index_.find(key);
		if (it == index_.end())
			return nullptr;
		order_.splice(order_.begin(), order_, it->second);
		return &it->second->second;
	}

	// The value of key, created with make() if absent (evicting the least recently used entry
	// when full).
	template <typename Make>
	V& get_or_create(const K& key, Make&& make) {
		if (V* v = find(key))
			return *v;
		if (index_.size() >= capacity_) {
			index_.erase(order_.back().first);
			order_.pop_back();
		}
		order_.emplace_front(key, make());
		index_.emplace(key, order_.begin());
		return order_.front().second;
	}

	void put(const K& key, V value) {
		get_or_create(key, [&] { return value; }) = std::move(value);
	}

	bool erase(const K& key) {
		auto it = index_.find(key);
		if (it == index_.end())
			return false;
		order_.erase(it->second);
		index_.erase(it);
		return true;
	}

	size_t size() const { return index_.size(); }
	size_t capacity() const { return capacity_; }

	// Visits entries from the most to the least recently used, without reordering.
	template <typename F>
	void for_each(F&& f) const {
		for (const auto& [k, v] : order_)
			f(k, v);
	}

private:
	using Order = std::list<std::pair<K, V>>;
	size_t capacity_;
	Order order_;
	std::unordered_map<K, typename Order::iterator, Hash> index_;
};

} // namespace serversan::ingest
