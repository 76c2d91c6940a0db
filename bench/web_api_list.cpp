// Issue 22: GET /api/v1/servers (every server's summary with its latest values and firing count)
// and GET /api/v1/prometheus through the API's router, as the listener calls them, over a store
// holding an hour of every-minute reports per server (bench/store_bench_data.h).
//   build/release/bench/bench_web_api_list [SERVERS=100] [RUNS=50]
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "bench/bench_timing.h"
#include "bench/store_bench_data.h"
#include "serversan/server/web/api.h"

using namespace serversan;
using bench::Steady;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;
constexpr int64_t kUser = 4242;
constexpr int kReportsPerServer = 60;

class OneUser final : public web::Authenticator {
public:
	std::optional<web::Principal> authenticate(const ingest::RouteRequest&) override {
		web::Principal p;
		p.user_id = kUser;
		p.via = web::Principal::Via::api_token;
		return p;
	}
};

} // namespace

int main(int argc, char** argv) {
	size_t servers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100;
	int runs = argc > 2 ? std::atoi(argv[2]) : 50;
	auto dir = bench::bench_dir();
	auto store = store::open_sqlite_store((dir / "serversan.db").string()).value();
	std::vector<store::IngestBatch> batches;
	for (size_t i = 0; i < servers; ++i) {
		uint64_t id = store->create_server(kUser, fmt::format("web-{:04}", i), SigningKey{}, T0).value();
		store::IngestBatch b{id, {}, T0 + kReportsPerServer * 60'000, std::nullopt};
		b.batch.stream = fmt::format("{:016x}", i + 1);
		b.batch.agent_version = "0.1.0";
		for (int k = 1; k <= kReportsPerServer; ++k)
			b.batch.reports.push_back(
			    bench::realistic_report(static_cast<uint64_t>(k), T0 + k * 60'000, static_cast<int>(i)));
		batches.push_back(std::move(b));
	}
	store->append(batches).value();
	std::printf("store: %zu servers x %d reports in %s\n", servers, kReportsPerServer, dir.c_str());

	ManualClock clock{std::chrono::system_clock::time_point{std::chrono::milliseconds{T0 + 61 * 60'000}}};
	OneUser auth;
	web::ApiDeps deps;
	deps.store = store.get();
	deps.auth = &auth;
	deps.clock = &clock;
	deps.limits.per_address = {};
	deps.limits.per_user = {};
	auto router = web::make_api_router(deps);
	std::vector<std::pair<std::string, std::string>> headers;
	for (const char* path : {"/api/v1/servers", "/api/v1/prometheus"}) {
		ingest::RouteRequest r;
		r.method = "GET";
		r.path = path;
		r.client_ip = "127.0.0.1";
		r.headers = &headers;
		size_t bytes = router->handle(r).body.size(); // warms the read connections
		std::vector<double> times;
		for (int i = 0; i < runs; ++i) {
			auto t = Steady::now();
			auto resp = router->handle(r);
			times.push_back(bench::ms_since(t));
			if (resp.status != 200)
				return std::printf("%s answered %d\n", path, resp.status), 1;
		}
		bench::print_times(fmt::format("GET {} ({} servers, {} KB)", path, servers, bytes / 1024).c_str(),
		                   times, 52);
	}
	return 0;
}
