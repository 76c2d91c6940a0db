// The hourly disk-full check's cost (alerts/forecast_check.h): SERVERS servers, each with "/"
// (flat) and /data (filling, full in about 4 days), one report a minute for 24 h, rolled up as the
// jobs would. The first check queues one notice per server; the later ones find the notices
// already sent (the steady cost: every fit, every lookup, nothing written).
// Figures, not assertions. Run: build/release/bench/bench_disk_forecast [SERVERS=200] [RUNS=10]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "bench/bench_timing.h"
#include "serversan/server/alerts/delivery_gate.h"
#include "serversan/server/alerts/forecast_check.h"

using namespace serversan;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;
constexpr int64_t kMin = 60'000;
constexpr uint64_t kGiB = 1ull << 30;

Report report(uint64_t seq, int64_t t) {
	Report r;
	r.seq = seq;
	r.time_ms = t;
	r.interval_s = 60;
	Filesystem root;
	root.mount = "/";
	root.type = "ext4";
	root.total = 100 * kGiB;
	root.used = 40 * kGiB + (seq % 7) * (1u << 20);
	r.filesystems.push_back(root);
	Filesystem data = root;
	data.mount = "/data";
	data.used = 60 * kGiB + static_cast<uint64_t>(static_cast<double>(seq) * 8.0 * kGiB / 1440);
	r.filesystems.push_back(data);
	return r;
}

} // namespace

int main(int argc, char** argv) {
	const size_t servers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
	const int runs = argc > 2 ? std::atoi(argv[2]) : 10;
	auto dir =
	    std::filesystem::temp_directory_path() / fmt::format("serversan-forecast-bench-{}", ::getpid());
	std::filesystem::create_directories(dir);
	auto store = store::open_sqlite_store((dir / "bench.db").string()).value();

	std::vector<uint64_t> ids;
	for (size_t i = 0; i < servers; ++i)
		ids.push_back(
		    store->create_server(1000 + static_cast<int64_t>(i), fmt::format("s{}", i), SigningKey{}, T0)
		        .value());
	const int minutes = 24 * 60;
	for (int hour = 0; hour < 24; ++hour) {
		std::vector<store::IngestBatch> batches;
		for (uint64_t id : ids) {
			store::IngestBatch b;
			b.server_id = id;
			b.batch.stream = "0123456789abcdef";
			b.batch.agent_version = "0.1.0";
			for (int m = hour * 60; m < hour * 60 + 60; ++m)
				b.batch.reports.push_back(report(static_cast<uint64_t>(m + 1), T0 + m * kMin));
			b.received_ms = T0 + (hour * 60 + 59) * kMin;
			batches.push_back(std::move(b));
		}
		if (auto r = store->append(batches); !r.ok()) {
			std::fprintf(stderr, "append: %s\n", r.error().message.c_str());
			return 1;
		}
	}
	const int64_t now = T0 + minutes * kMin;
	for (;;) {
		auto p = store->rollup(now, {});
		if (!p.ok() || !p->more)
			break;
	}

	auto gate = alerts::store_delivery_gate(*store);
	std::vector<double> times;
	alerts::ForecastStats first{}, steady{};
	for (int i = 0; i < runs + 1; ++i) {
		auto t0 = bench::Steady::now();
		auto st = alerts::check_disk_forecasts(*store, gate, now + i * kMin);
		double ms = bench::ms_since(t0);
		if (!st.ok()) {
			std::fprintf(stderr, "check: %s\n", st.error().message.c_str());
			return 1;
		}
		if (i == 0) {
			first = *st;
			std::printf(
			    "first check (queues the notices): %.1f ms, %lu filesystems, %lu predicted, %lu notices\n",
			    ms, static_cast<unsigned long>(st->filesystems), static_cast<unsigned long>(st->predicted),
			    static_cast<unsigned long>(st->notices));
		} else {
			steady = *st;
			times.push_back(ms);
		}
	}
	bench::print_times("later checks (nothing new)", times);
	std::sort(times.begin(), times.end());
	std::printf("%.0f us per filesystem (median), %lu notices queued by the later checks\n",
	            times[times.size() / 2] * 1000 / static_cast<double>(steady.filesystems),
	            static_cast<unsigned long>(steady.notices));
	std::filesystem::remove_all(dir);
	return 0;
}
