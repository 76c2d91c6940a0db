// Issue 19: what /fleet reads from a store with many servers: reports of the last minute over
// every server (count_reports_since: one walk of the (server_id, ts_ms) index per server), the
// server and user lists, the outbox and the database size. Reports are small (what the count
// reads is the index, not the row). Figures, not assertions; the store is in $SERVERSAN_BENCH_DIR
// (default /tmp).
//   bench_fleet_counts [SERVERS=10000] [REPORTS_PER_SERVER=60] [RUNS=20]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "bench/store_bench_data.h"
#include "serversan/server/store/store.h"

using namespace serversan;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

void time_it(const char* what, int runs, const std::function<void()>& f) {
	std::vector<double> ms;
	for (int i = 0; i < runs; ++i) {
		auto t = Steady::now();
		f();
		ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t).count());
	}
	std::sort(ms.begin(), ms.end());
	std::printf("%-36s median %8.2f ms  max %8.2f ms  (%d runs)\n", what, ms[ms.size() / 2], ms.back(), runs);
}

} // namespace

int main(int argc, char** argv) {
	size_t servers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10'000;
	int reports = argc > 2 ? std::atoi(argv[2]) : 60;
	int runs = argc > 3 ? std::atoi(argv[3]) : 20;
	auto dir = bench::bench_dir();
	auto store = store::open_sqlite_store((dir / "serversan.db").string()).value();
	auto fill = Steady::now();
	// One report a minute per server for `reports` minutes, ending now: the last minute holds one
	// report per server.
	int64_t now = T0 + reports * 60'000;
	std::vector<store::IngestBatch> batches;
	for (size_t i = 0; i < servers; ++i) {
		uint64_t id =
		    store->create_server(static_cast<int64_t>(i % 1000) + 1, fmt::format("s{}", i), SigningKey{}, T0)
		        .value();
		store::IngestBatch b{id, {}, now, std::nullopt};
		b.batch.stream = fmt::format("{:016x}", i + 1);
		b.batch.agent_version = "0.1.0";
		for (int k = 1; k <= reports; ++k) {
			Report r;
			r.seq = static_cast<uint64_t>(k);
			r.time_ms = T0 + k * 60'000 - 30'000;
			b.batch.reports.push_back(r);
		}
		batches.push_back(std::move(b));
		if (batches.size() == 200) {
			store->append(batches).value();
			batches.clear();
		}
	}
	if (!batches.empty())
		store->append(batches).value();
	std::printf("store: %zu servers x %d reports (%zu samples, %.1f MB) filled in %.1f s, in %s\n", servers,
	            reports, servers * static_cast<size_t>(reports),
	            static_cast<double>(store->database_bytes().value()) / 1e6,
	            std::chrono::duration<double>(Steady::now() - fill).count(), dir.c_str());

	uint64_t last_minute = store->count_reports_since(now - 60'000).value();
	std::printf("reports in the last minute: %llu (%.1f/s)\n", static_cast<unsigned long long>(last_minute),
	            static_cast<double>(last_minute) / 60.0);
	time_it("count_reports_since(last minute)", runs,
	        [&] { (void)store->count_reports_since(now - 60'000); });
	time_it("count_reports_since(everything)", runs, [&] { (void)store->count_reports_since(0); });
	time_it("list_servers", runs, [&] { (void)store->list_servers(); });
	time_it("list_users", runs, [&] { (void)store->list_users(); });
	time_it("outbox_depth + oldest_queued_ms", runs, [&] {
		(void)store->outbox_depth();
		(void)store->oldest_queued_ms();
	});
	time_it("database_bytes", runs, [&] { (void)store->database_bytes(); });
	std::filesystem::remove_all(dir);
	return 0;
}
