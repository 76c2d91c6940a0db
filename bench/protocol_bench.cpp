// What one report costs on the protocol path: encoding (agent), signing (agent and server) and
// strict decoding (server). Run: build/release/bench/bench_protocol
#include <benchmark/benchmark.h>

#include "serversan/core/report_decode.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/signing.h"
#include "serversan/core/token.h"

using namespace serversan;

namespace {

// A report the size of the agent's every-collection set on a small VM (about 2.5 KB of JSON).
ReportBatch realistic_batch(size_t reports) {
	ReportBatch b;
	b.stream = "0123456789abcdef";
	b.agent_version = "0.1.0";
	for (size_t i = 0; i < reports; ++i) {
		Report r;
		r.seq = i + 1;
		r.time_ms = 1'764'000'000'000 + static_cast<int64_t>(i) * 60'000;
		r.interval_s = 60;
		r.uptime_s = 123456;
		r.cpu.total = {12.5, 0.1, 3.25, 0.5, 0.0, 0.25, 0.0, 83.4};
		for (int c = 0; c < 4; ++c)
			r.cpu.cores.push_back({10.0 + c, 0.0, 3.0, 0.5, 0.0, 0.2, 0.0, 86.3 - c});
		r.cpu.context_switches_per_s = 1834.5;
		r.cpu.interrupts_per_s = 912.25;
		r.load = {0.42, 0.35, 0.3};
		r.memory = {25769803776, 3221225472, 21474836480, 1073741824, 268435456, 17179869184, 4294967296, 0};
		r.processes = {187, 2, 0, 0, 412};
		r.sockets = {42, 50, 7, 0, 6, 2, 2048, 9223372036854775807ull};
		for (const char* m : {"/", "/home"}) {
			Filesystem f{m, "/dev/vda1", "ext4", 269490393088, 107374182400, 162116210688, 16777216, 412345};
			r.filesystems.push_back(f);
		}
		r.disks.push_back({"vda", 123456.0, 654321.0, 12.5, 45.25, 3.5});
		for (const char* n : {"eth0", "docker0"}) {
			NetInterface ni;
			ni.name = n;
			ni.rx_bytes_per_s = 12345.5;
			ni.tx_bytes_per_s = 54321.25;
			ni.rx_packets_per_s = 120;
			ni.tx_packets_per_s = 98;
			ni.rx_errors = ni.tx_errors = ni.rx_drops = ni.tx_drops = 0;
			ni.rx_bytes_total = 1234567890123;
			ni.tx_bytes_total = 987654321098;
			ni.ipv4 = "203.0.113.7";
			ni.ipv6 = "2001:db8::7";
			r.interfaces.push_back(ni);
		}
		r.temperatures.push_back({"coretemp/Package id 0", 48.5});
		b.reports.push_back(std::move(r));
	}
	return b;
}

void BM_EncodeReport(benchmark::State& state) {
	ReportBatch b = realistic_batch(1);
	std::string out;
	for (auto _ : state) {
		out.clear();
		encode_batch(b, out);
		benchmark::DoNotOptimize(out.data());
	}
	state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EncodeReport);

void BM_DecodeReport(benchmark::State& state) {
	std::string json = encode_batch(realistic_batch(static_cast<size_t>(state.range(0))));
	for (auto _ : state) {
		auto r = decode_batch(json);
		benchmark::DoNotOptimize(r.ok());
	}
	state.SetItemsProcessed(state.iterations() * state.range(0));
	state.counters["bytes"] = static_cast<double>(json.size());
}
BENCHMARK(BM_DecodeReport)->Arg(1)->Arg(100);

void BM_SignAndVerify(benchmark::State& state) {
	AgentToken t = generate_token(42);
	SigningKey key = derive_signing_key(t);
	std::string body = encode_batch(realistic_batch(1));
	SignedRequest req{"POST", "/api/v1/reports", "", "application/json", "", crypto::bytes(body)};
	std::string nonce = make_nonce();
	for (auto _ : state) {
		std::string header = sign_request(key, 42, 1'764'000'000, nonce, req);
		auto auth = parse_authorization(header);
		benchmark::DoNotOptimize(verify_request(key, *auth, req, 1'764'000'000));
	}
}
BENCHMARK(BM_SignAndVerify);

} // namespace
