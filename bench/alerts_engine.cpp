// The alert engine's cost per report: 5,000 servers, 10 rules evaluated on each (cpu, ram, swap,
// disk, inodes, load per core, net in and out, disk busy, temperature; offline beside them), one
// report per server per round, handed over in groups of 1,000 as the ingest writer commits them.
// Values stay below the thresholds (the common case: no state change, no store write); the last
// figure is a round where every server's CPU alert fires (each reads the newest top processes
// for its evidence; one record_alerts per group).
// Figures, not assertions. Run: build/release/bench/bench_alerts_engine [SERVERS=5000] [ROUNDS=30]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/server/alerts/delivery_gate.h"
#include "serversan/server/alerts/engine.h"

using namespace serversan;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;
constexpr int64_t kMin = 60'000;

Report report(uint64_t seq, int64_t t, double cpu) {
	Report r;
	r.seq = seq;
	r.time_ms = t;
	r.interval_s = 60;
	r.cpu.total.user = cpu;
	r.cpu.total.idle = 100 - cpu;
	r.load.load1 = 0.8;
	r.memory.total = 8ull << 30;
	r.memory.used = 3ull << 30;
	r.memory.swap_total = 2ull << 30;
	r.memory.swap_used = 100ull << 20;
	Filesystem fs;
	fs.mount = "/";
	fs.type = "ext4";
	fs.total = 100ull << 30;
	fs.used = 40ull << 30;
	fs.inodes_total = 6'000'000;
	fs.inodes_used = 300'000;
	r.filesystems.push_back(fs);
	NetInterface eth;
	eth.name = "eth0";
	eth.rx_bytes_per_s = 2e6;
	eth.tx_bytes_per_s = 1e6;
	r.interfaces.push_back(eth);
	DiskIo d;
	d.device = "vda";
	d.busy_percent = 12;
	r.disks.push_back(d);
	r.temperatures.push_back({"cpu", 55});
	return r;
}

} // namespace

int main(int argc, char** argv) {
	const size_t servers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 5000;
	const int rounds = argc > 2 ? std::atoi(argv[2]) : 30;
	const size_t group = 1000, per_chat = 10;
	auto dir = std::filesystem::temp_directory_path() / fmt::format("serversan-alerts-bench-{}", ::getpid());
	std::filesystem::create_directories(dir);
	auto store = store::open_sqlite_store((dir / "bench.db").string()).value();

	// The defaults leave net and disk busy off: each chat turns them on, so 10 rules apply.
	std::vector<uint64_t> ids;
	for (size_t i = 0; i < servers; ++i) {
		int64_t chat = 1000 + static_cast<int64_t>(i / per_chat);
		ids.push_back(store->create_server(chat, fmt::format("s{}", i), SigningKey{}, T0).value());
		if (i % per_chat == 0)
			for (const char* metric : {"net.rx", "net.tx", "disk.busy"}) {
				store::AlertRule r;
				r.owner_chat = chat;
				r.metric = metric;
				r.threshold = std::string_view(metric) == "disk.busy" ? 90 : 100e6;
				r.for_s = 600;
				(void)store->create_alert_rule(r).value();
			}
	}
	// Rules reload every 30 s in production; here every round is a simulated minute, so the reload
	// is timed on its own below instead of landing inside every other round.
	alerts::EngineOptions options;
	options.rules_refresh_ms = int64_t{1} << 50;
	alerts::Engine engine(*store, options);
	if (auto r = engine.load(T0); !r.ok()) {
		std::fprintf(stderr, "load: %s\n", r.error().message.c_str());
		return 1;
	}

	// Time on_committed alone (building the batches is outside the clock).
	auto timed = [&](int round, double cpu, double& ns) {
		const int64_t t = T0 + round * kMin;
		alerts::EngineStats total;
		ns = 0;
		for (size_t first = 0; first < servers; first += group) {
			std::vector<store::IngestBatch> batches;
			std::vector<store::IngestOutcome> outcomes;
			for (size_t i = first; i < std::min(servers, first + group); ++i) {
				store::IngestBatch b;
				b.server_id = ids[i];
				b.batch.reports.push_back(report(static_cast<uint64_t>(round), t, cpu));
				if (round == 1) // host facts come now and then; the engine remembers the cores
					b.batch.reports.back().host = HostFacts{.cpu_logical = 4};
				b.received_ms = t;
				batches.push_back(std::move(b));
				outcomes.push_back({1, 0, 0, false});
			}
			auto t0 = std::chrono::steady_clock::now();
			auto st = engine.on_committed(batches, outcomes, t);
			ns += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
			if (!st.ok()) {
				std::fprintf(stderr, "on_committed: %s\n", st.error().message.c_str());
				std::exit(1);
			}
			total.reports += st->reports;
			total.evaluations += st->evaluations;
			total.notices += st->notices;
		}
		return total;
	};

	double ns = 0, sum_ns = 0;
	uint64_t reports = 0, evaluations = 0;
	timed(1, 20, ns); // warm-up: the first report of each alert allocates its window
	for (int round = 2; round < 2 + rounds; ++round) {
		auto st = timed(round, 20, ns);
		sum_ns += ns;
		reports += st.reports;
		evaluations += st.evaluations;
	}
	std::printf("servers %zu, rounds %d, groups of %zu: %.0f ns per report, %.1f ns per rule evaluation "
	            "(%.1f rules per report), %.1f ms per round of %zu reports\n",
	            servers, rounds, group, sum_ns / static_cast<double>(reports),
	            sum_ns / static_cast<double>(evaluations),
	            static_cast<double>(evaluations) / static_cast<double>(reports), sum_ns / rounds / 1e6,
	            servers);

	// After rules_changed() (a /threshold in this process) the next on_committed reloads first: its
	// reads run outside the engine's lock, but in that call. The periodic reload runs in tick().
	const int round_after = 2 + rounds;
	engine.rules_changed();
	timed(round_after, 20, ns);
	const double with_reload_ms = ns / 1e6;
	auto l0 = std::chrono::steady_clock::now();
	(void)store->list_servers().value();
	auto l1 = std::chrono::steady_clock::now();
	(void)store->list_alert_rules(std::nullopt).value();
	auto l2 = std::chrono::steady_clock::now();
	std::printf("a round after rules_changed(): %.1f ms (list_servers %.1f ms, list_alert_rules %.1f ms)\n",
	            with_reload_ms, std::chrono::duration<double, std::milli>(l1 - l0).count(),
	            std::chrono::duration<double, std::milli>(l2 - l1).count());

	// Every server's CPU alert fires in the same round: states and notices written per group.
	int round = 3 + rounds;
	for (int i = 0; i < 8; ++i) // the 9th sample of 99 in a 10-minute window lifts its average past 90
		timed(round++, 99, ns);
	auto st = timed(round, 99, ns);
	std::printf("a round where every CPU alert fires: %.0f ns per report (%llu notices, one record_alerts "
	            "per group)\n",
	            ns / static_cast<double>(st.reports), static_cast<unsigned long long>(st.notices));

	// The delivery gate's reads per notice (settings, silences, the user's zone), as the feed's
	// thread runs them: decides whether a per-notice read needs a cache.
	auto gate = alerts::store_delivery_gate(*store);
	alerts::AlertMessage m;
	m.kind = "cpu";
	const int notices = 10'000;
	auto g0 = std::chrono::steady_clock::now();
	size_t sent = 0;
	for (int i = 0; i < notices; ++i) {
		const size_t k = static_cast<size_t>(i) % ids.size();
		m.server_id = ids[k];
		sent += gate(1000 + static_cast<int64_t>(k / per_chat), m, T0).send ? 1 : 0;
	}
	auto g1 = std::chrono::steady_clock::now();
	std::printf("delivery gate: %.1f us per notice (%zu of %d sent)\n",
	            std::chrono::duration<double, std::micro>(g1 - g0).count() / notices, sent, notices);
	std::filesystem::remove_all(dir);
	return 0;
}
