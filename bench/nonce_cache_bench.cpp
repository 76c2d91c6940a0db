// The replay cache in its steady state: one timestamp window (300 s) of live entries at the
// request rate that keeps 1M or 8M of them, time moving one second per rate's worth of inserts.
// Reports ns per insert and the bytes the tables hold per live entry.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "serversan/server/ingest/nonce_cache.h"

using serversan::ingest::NonceCache;

namespace {

constexpr int64_t kWindow = 300;

std::string hex_nonce(uint64_t i) {
	return fmt::format("{:016x}{:016x}", i * 0x9e3779b97f4a7c15ull, i ^ 0x5bd1e995u);
}

void BM_NonceCacheInsert(benchmark::State& state) {
	const auto live = static_cast<uint64_t>(state.range(0));
	const uint64_t rate = live / kWindow;
	NonceCache cache(live * 2, kWindow);
	// Nonces made up front so the loop measures the cache, not the formatting.
	std::vector<std::string> nonces(1 << 20);
	for (size_t i = 0; i < nonces.size(); ++i)
		nonces[i] = hex_nonce(i);
	std::string nonce(32, '0');
	uint64_t n = 0;
	int64_t now = 1'764'000'000;
	auto one = [&] {
		// Agents' clocks differ a little: timestamps within 5 s of the server's.
		int64_t ts = now - 5 + static_cast<int64_t>(n % 11);
		nonce.assign(nonces[n & (nonces.size() - 1)]); // no allocation: same length
		// The low bits vary the nonce beyond the table of prepared ones.
		nonce[0] = "0123456789abcdef"[(n >> 20) & 15];
		nonce[1] = "0123456789abcdef"[(n >> 24) & 15];
		auto o = cache.insert(n % 5000 + 1, nonce, ts, now);
		if (++n % rate == 0)
			++now;
		return o;
	};
	for (uint64_t i = 0; i < live + 10 * rate; ++i)
		one();
	for (auto _ : state)
		benchmark::DoNotOptimize(one());
	state.counters["live"] = static_cast<double>(cache.size());
	state.counters["bytes_per_entry"] =
	    static_cast<double>(cache.memory_bytes()) / static_cast<double>(cache.size());
}
BENCHMARK(BM_NonceCacheInsert)->Arg(1'000'000)->Arg(8'000'000);

} // namespace
