// What the store costs: Store::append per report at group sizes 1, 100 and 1000 (one report per
// agent, as the ingest writer groups them; WAL, synchronous=FULL, so each group pays one fsync),
// the steps inside it, and 30-day chart reads (one metric; one device) from a database holding
// 30 days of 20 servers reporting every 60 s, rolled up by the real job code.
// Figures, not assertions. Run: build/release/bench/bench_store_append [--benchmark_filter=...]
// The database lives in $SERVERSAN_BENCH_DIR (default /tmp): put it on the disk you care about.
#include <cstdlib>
#include <filesystem>
#include <random>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench/store_bench_data.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/metrics.h"
#include "serversan/server/store/store.h"
#include "serversan/server/store/stored_report.h"

using namespace serversan;
using namespace serversan::store;
using namespace serversan::bench;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

struct AppendEnv {
	std::filesystem::path dir = bench_dir();
	std::unique_ptr<Store> store;
	std::vector<uint64_t> servers;
	std::vector<uint64_t> seq;
	int64_t t = T0;
	AppendEnv() {
		store = open_sqlite_store((dir / "append.db").string()).value();
		for (int i = 0; i < 5000; ++i)
			servers.push_back(
			    store->create_server(std::nullopt, fmt::format("s{}", i), SigningKey{}, T0).value());
		seq.assign(servers.size(), 0);
	}
	~AppendEnv() {
		store.reset();
		std::filesystem::remove_all(dir);
	}
};

AppendEnv& append_env() {
	static AppendEnv env;
	return env;
}

// One group = `group` batches of one report each, from different agents (round robin over 5000
// servers, as a busy ingest writer sees them).
void BM_Append(benchmark::State& state) {
	AppendEnv& env = append_env();
	auto group = static_cast<size_t>(state.range(0));
	size_t next = 0;
	std::vector<IngestBatch> batches(group);
	for (auto _ : state) {
		state.PauseTiming();
		for (size_t k = 0; k < group; ++k) {
			size_t s = next++ % env.servers.size();
			// Each agent reports every 60 s: time moves 60 s per round over all servers.
			env.t += kMinuteMs / static_cast<int64_t>(env.servers.size());
			IngestBatch& b = batches[k];
			b.server_id = env.servers[s];
			b.received_ms = env.t;
			b.batch.stream = "0123456789abcdef";
			b.batch.agent_version = "0.2.0";
			b.batch.reports = {realistic_report(++env.seq[s], env.t, static_cast<int>(next))};
		}
		state.ResumeTiming();
		auto r = env.store->append(batches);
		if (!r.ok())
			state.SkipWithError(r.error().message.c_str());
	}
	// Seconds per report, printed with an SI prefix ("9.5u" is 9.5 us).
	state.counters["per_report"] =
	    benchmark::Counter(static_cast<double>(group),
	                       benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Append)->Arg(1)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The CPU steps of append, per report, without SQLite.
void BM_MainValues(benchmark::State& state) {
	Report r = realistic_report(1, T0, 1);
	for (auto _ : state)
		benchmark::DoNotOptimize(main_values(r));
}
BENCHMARK(BM_MainValues);

void BM_EncodeDeviceBlob(benchmark::State& state) {
	Report r = realistic_report(1, T0, 1);
	std::string out;
	for (auto _ : state) {
		encode_devices(r, out);
		benchmark::DoNotOptimize(out.data());
	}
	state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EncodeDeviceBlob);

void BM_EncodeLatestJson(benchmark::State& state) {
	Report r = realistic_report(1, T0, 1);
	std::string out;
	for (auto _ : state) {
		out = encode_stored_report(r);
		benchmark::DoNotOptimize(out.data());
	}
	state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EncodeLatestJson);

// ---- Charts --------------------------------------------------------------------------------

constexpr int kChartServers = 20;
constexpr int kChartDays = 30;

struct ChartEnv {
	std::filesystem::path dir = bench_dir();
	std::unique_ptr<Store> store;
	std::vector<uint64_t> servers;
	int64_t now = T0 + kChartDays * kDayMs;
	ChartEnv() {
		store = open_sqlite_store((dir / "chart.db").string()).value();
		for (int i = 0; i < kChartServers; ++i)
			servers.push_back(
			    store->create_server(std::nullopt, fmt::format("c{}", i), SigningKey{}, T0).value());
		// 30 days every 60 s, all servers interleaved in time order (as ingest stores them), in
		// groups of 10 minutes; the roll-up job catches up every simulated day.
		auto started = std::chrono::steady_clock::now();
		uint64_t seq = 0;
		for (int64_t t = T0; t < now; t += 10 * kMinuteMs) {
			std::vector<IngestBatch> group;
			++seq;
			for (uint64_t id : servers) {
				IngestBatch b{id, {}, t};
				b.batch.stream = "0123456789abcdef";
				b.batch.agent_version = "0.2.0";
				for (int m = 0; m < 10; ++m)
					b.batch.reports.push_back(realistic_report((seq - 1) * 10 + static_cast<uint64_t>(m) + 1,
					                                           t + m * kMinuteMs,
					                                           static_cast<int>((t - T0) / kMinuteMs) + m));
				group.push_back(std::move(b));
			}
			if (!store->append(group).ok())
				throw std::runtime_error("append failed");
			if ((t - T0) % kDayMs == 0 && t > T0)
				roll(t);
		}
		roll(now);
		auto st = store->stats().value();
		fmt::print(stderr, "chart database: {} servers x {} days in {:.1f} s, {:.1f} MiB\n", kChartServers,
		           kChartDays,
		           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
		           static_cast<double>(st.file_bytes + st.wal_bytes) / 1048576.0);
		for (const TierStats& ts : st.tiers)
			fmt::print(stderr, "  tier {:<3}: {:>9} rows, {:>8.1f} KiB per server-day\n", tier_name(ts.tier),
			           ts.rows, ts.bytes_per_server_day / 1024.0);
	}
	void roll(int64_t t) {
		while (true) {
			auto p = store->rollup(t, {});
			if (!p.ok())
				throw std::runtime_error(p.error().message);
			if (!p->more)
				break;
		}
	}
	~ChartEnv() {
		store.reset();
		std::filesystem::remove_all(dir);
	}
};

ChartEnv& chart_env() {
	static ChartEnv env;
	return env;
}

void chart(benchmark::State& state, const char* metric, const char* device, int64_t range_ms,
           std::optional<Tier> tier) {
	ChartEnv& env = chart_env();
	SeriesQuery q;
	q.server_id = env.servers[kChartServers / 2];
	q.metric = metric;
	q.device = device;
	q.to_ms = env.now;
	q.from_ms = env.now - range_ms;
	q.now_ms = env.now;
	q.tier = tier;
	size_t points = 0;
	for (auto _ : state) {
		auto s = env.store->series(q);
		if (!s.ok()) {
			state.SkipWithError(s.error().message.c_str());
			break;
		}
		points = s->points.size();
		state.SetLabel(fmt::format("{} points from tier {}", points, tier_name(s->tier)));
	}
	state.counters["points"] = static_cast<double>(points);
}

void BM_Chart30dMetric(benchmark::State& s) {
	chart(s, "cpu.busy", "", 30 * kDayMs, std::nullopt);
}
void BM_Chart30dDevice(benchmark::State& s) {
	chart(s, "net.rx", "eth0", 30 * kDayMs, std::nullopt);
}
void BM_Chart30dMetric5m(benchmark::State& s) {
	chart(s, "cpu.busy", "", 30 * kDayMs, Tier::m5);
}
void BM_Chart30dDevice5m(benchmark::State& s) {
	chart(s, "net.rx", "eth0", 30 * kDayMs, Tier::m5);
}
void BM_Chart24hDevice(benchmark::State& s) {
	chart(s, "disk.busy", "vda", kDayMs, std::nullopt);
}
void BM_Chart6hDeviceRaw(benchmark::State& s) {
	chart(s, "net.rx", "eth0", 6 * kHourMs, std::nullopt);
}
BENCHMARK(BM_Chart30dMetric)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Chart30dDevice)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Chart30dMetric5m)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Chart30dDevice5m)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Chart24hDevice)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Chart6hDeviceRaw)->Unit(benchmark::kMillisecond);

} // namespace
