// Issue 19: the server time of /stat for a chat with 100 servers (goal: under 50 ms), from a real
// SQLite store: store reads (servers_of + latest per server) plus formatting, for the fleet view
// and for one server's detail view. The store holds an hour of the agents' every-minute reports
// per server (bench/store_bench_data.h: slow sections every 5th report, host facts in the first),
// in $SERVERSAN_BENCH_DIR (default /tmp). Figures, not assertions.
//   bench_bot_stat [SERVERS=100] [RUNS=200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_timing.h"
#include "bench/store_bench_data.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/fleet_view.h"
#include "serversan/server/bot/views/server_view.h"
#include "serversan/server/bot/views/stat_data.h"
#include "serversan/server/store/store.h"

using namespace serversan;
using namespace serversan::bot;
using bench::ms_since;
using bench::Steady;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;
constexpr int64_t kChat = 4242;
constexpr int kReportsPerServer = 60;

} // namespace

int main(int argc, char** argv) {
	size_t servers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100;
	int runs = argc > 2 ? std::atoi(argv[2]) : 200;
	auto dir = bench::bench_dir();
	auto store = store::open_sqlite_store((dir / "serversan.db").string()).value();
	std::vector<uint64_t> ids;
	std::vector<store::IngestBatch> batches;
	for (size_t i = 0; i < servers; ++i) {
		uint64_t id = store->create_server(kChat, fmt::format("web-{:03}", i), SigningKey{}, T0).value();
		ids.push_back(id);
		store::IngestBatch b{id, {}, T0 + kReportsPerServer * 60'000, std::nullopt};
		b.batch.stream = fmt::format("{:016x}", i + 1);
		b.batch.agent_version = "0.1.0";
		for (int k = 1; k <= kReportsPerServer; ++k) {
			Report r =
			    bench::realistic_report(static_cast<uint64_t>(k), T0 + k * 60'000, static_cast<int>(i));
			if (k == 1) {
				r.host = HostFacts{fmt::format("web-{:03}.example.net", i),
				                   "Debian GNU/Linux",
				                   "12",
				                   "6.1.0-21-amd64",
				                   "x86_64",
				                   "AMD EPYC 7543 32-Core Processor",
				                   "kvm",
				                   "0.1.0",
				                   4,
				                   4,
				                   2800.0,
				                   (T0 - 86'400'000) / 1000};
			}
			b.batch.reports.push_back(std::move(r));
		}
		batches.push_back(std::move(b));
	}
	store->append(batches).value();
	std::printf("store: %zu servers x %d reports in %s\n", servers, kReportsPerServer, dir.c_str());

	views::ViewContext ctx{Lang::en, "Asia/Shanghai", T0 + (kReportsPerServer + 1) * 60'000};
	// The first calls warm the store's read connections and load the tz database (date-tz reads
	// /usr/share/zoneinfo once per process).
	auto first = Steady::now();
	auto cold = views::fleet_view(ctx, views::load_fleet(*store, kChat).value());
	std::string cold_detail = views::server_view(ctx, *views::load_server(*store, ids[0]).value());
	std::printf("first /stat + /stat <server> (cold)  %7.2f ms\n", ms_since(first));

	std::vector<double> reads, format, fleet, detail;
	size_t units = 0;
	for (int i = 0; i < runs; ++i) {
		ctx.lang = i % 2 ? Lang::zh : Lang::en;
		auto t0 = Steady::now();
		auto loaded = views::load_fleet(*store, kChat).value();
		reads.push_back(ms_since(t0));
		auto t1 = Steady::now();
		auto msgs = views::fleet_view(ctx, loaded);
		format.push_back(ms_since(t1));
		fleet.push_back(ms_since(t0));
		units = 0;
		for (const auto& m : msgs)
			units += html_text_length(m.text);

		auto t2 = Steady::now();
		auto one = views::load_server(*store, ids[static_cast<size_t>(i) % ids.size()]).value();
		std::string text = views::server_view(ctx, *one);
		detail.push_back(ms_since(t2));
	}
	std::printf("/stat fleet: %zu servers -> %zu messages, %zu units of text\n", servers,
	            views::fleet_view(ctx, views::load_fleet(*store, kChat).value()).size(), units);
	bench::print_times("/stat fleet: store reads", reads);
	bench::print_times("/stat fleet: formatting", format);
	bench::print_times("/stat fleet: total (goal < 50 ms)", fleet);
	bench::print_times("/stat <server>: read + format", detail);
	std::filesystem::remove_all(dir);
	return 0;
}
