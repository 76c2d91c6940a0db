// Ingest while backups run (issue 18): one thread appends groups of 1000 reports (one per server,
// round robin over 500 servers, as the ingest writer groups them) for SECONDS; every INTERVAL
// seconds a backup is taken, and every 10 s the rate, the database and the WAL are printed.
//   bench_store_backup none|same|other [SECONDS=300] [INTERVAL=30]
// none: no backup (the rate against the database's growth alone); same: Store::backup on the
// appending store (its writer connection); other: a second store on the same file, as
// `serversan-server db backup` beside a running server. The database lives in
// $SERVERSAN_BENCH_DIR (default /tmp). Figures, not assertions.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "bench/store_bench_data.h"
#include "serversan/server/store/store.h"

using namespace serversan;
using namespace serversan::store;
using namespace serversan::bench;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;
constexpr size_t kServers = 500, kGroup = 1000;

double mb(uint64_t bytes) {
	return static_cast<double>(bytes) / 1e6;
}

uint64_t size_of(const std::filesystem::path& p) {
	std::error_code ec;
	auto n = std::filesystem::file_size(p, ec);
	return ec ? 0 : n;
}

} // namespace

int main(int argc, char** argv) {
	std::string mode = argc > 1 ? argv[1] : "none";
	int seconds = argc > 2 ? std::atoi(argv[2]) : 300;
	int interval = argc > 3 ? std::atoi(argv[3]) : 30;
	if (mode != "none" && mode != "same" && mode != "other") {
		std::fprintf(stderr, "usage: bench_store_backup none|same|other [SECONDS] [INTERVAL]\n");
		return 2;
	}
	auto dir = bench_dir();
	auto db = dir / "serversan.db";
	auto store = open_sqlite_store(db.string()).value();
	std::vector<uint64_t> servers, seq(kServers, 0);
	for (size_t i = 0; i < kServers; ++i)
		servers.push_back(
		    store->create_server(std::nullopt, fmt::format("s{}", i), SigningKey{}, T0).value());
	std::unique_ptr<Store> other;
	if (mode == "other")
		other = open_sqlite_store(db.string()).value();

	std::atomic<bool> stop{false};
	std::atomic<uint64_t> reports{0}, max_wal{0};
	std::thread writer([&] {
		int64_t t = T0;
		size_t next = 0;
		std::vector<IngestBatch> group(kGroup);
		while (!stop.load()) {
			for (IngestBatch& b : group) {
				size_t s = next++ % kServers;
				t += kMinuteMs / static_cast<int64_t>(kServers);
				b.server_id = servers[s];
				b.received_ms = t;
				b.batch.stream = "0123456789abcdef";
				b.batch.agent_version = "0.2.0";
				b.batch.reports = {realistic_report(++seq[s], t, static_cast<int>(next))};
			}
			if (auto r = store->append(group); !r.ok()) {
				std::fprintf(stderr, "append: %s\n", r.error().message.c_str());
				std::exit(1);
			}
			reports += kGroup;
		}
	});
	std::thread watcher([&] {
		while (!stop.load()) {
			uint64_t n = size_of(dir / "serversan.db-wal");
			if (n > max_wal.load())
				max_wal = n;
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
		}
	});
	std::thread backups;
	if (mode != "none")
		backups = std::thread([&] {
			Store& from = mode == "same" ? *store : *other;
			for (int n = 1; !stop.load(); ++n) {
				auto wake = Clock::now() + std::chrono::seconds(interval);
				while (!stop.load() && Clock::now() < wake)
					std::this_thread::sleep_for(std::chrono::milliseconds(50));
				if (stop.load())
					break;
				auto copy = dir / fmt::format("backup-{}.db", n);
				auto t0 = Clock::now();
				auto r = from.backup(copy.string());
				double s = std::chrono::duration<double>(Clock::now() - t0).count();
				if (!r.ok())
					std::printf("backup %d failed: %s\n", n, r.error().message.c_str());
				else
					std::printf("backup %d: %.1f MB in %.2f s\n", n, mb(r->bytes), s);
				std::filesystem::remove(copy);
			}
		});

	std::printf("mode %s, %d s, backup every %d s\n%6s %10s %8s %8s %10s\n", mode.c_str(), seconds, interval,
	            "t_s", "reports/s", "db_MB", "wal_MB", "wal_max_MB");
	auto start = Clock::now();
	uint64_t last = 0, total_first = 0;
	for (int t = 10; t <= seconds; t += 10) {
		std::this_thread::sleep_until(start + std::chrono::seconds(t));
		uint64_t now = reports.load();
		if (t == 10)
			total_first = now;
		std::printf("%6d %10.0f %8.0f %8.1f %10.1f\n", t, static_cast<double>(now - last) / 10.0,
		            mb(size_of(db)), mb(size_of(dir / "serversan.db-wal")), mb(max_wal.exchange(0)));
		std::fflush(stdout);
		last = now;
	}
	stop = true;
	writer.join();
	watcher.join();
	if (backups.joinable())
		backups.join();
	std::printf("mean %.0f reports/s (first 10 s: %.0f)\n", static_cast<double>(last) / seconds,
	            static_cast<double>(total_first) / 10.0);
	other.reset();
	store.reset();
	std::filesystem::remove_all(dir);
}
