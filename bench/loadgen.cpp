// serversan-loadgen: plays N agents against a report endpoint and prints reports/s and latency.
//
// Each agent has its own token (one per line in --tokens), stream and sequence counter, and
// sends realistic signed reports per docs/protocol.md. Agents are spread over --connections
// keep-alive connections, one thread each, each sending as fast as its answers come back
// (closed loop), so the figure is the server's sustained, acknowledged throughput. Against a
// plain HTTP sink (nginx `return 204;`) the same tool measures the baseline.
//
//   serversan-loadgen --url http://127.0.0.1:8080 --tokens tokens.txt --connections 64 --seconds 10
//   serversan-loadgen --url http://127.0.0.1:18080 --sink --connections 64 --seconds 10
//
// --acked FILE writes "server_id seq" for every report acknowledged with 200 (crash tests).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <utility> // before Asio with GCC 12 and Boost 1.74
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/signing.h"
#include "serversan/core/token.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace serversan;
using Clock = std::chrono::steady_clock;

namespace {

struct Agent {
	AgentToken token;
	SigningKey key{};
	std::string stream;
	uint64_t next_seq = 1;
};

// A report like the agent's every-collection set on a small VM (about 2.3 KB of JSON).
Report realistic_report(uint64_t seq, int64_t time_ms, uint64_t salt) {
	Report r;
	r.seq = seq;
	r.time_ms = time_ms;
	r.interval_s = 60;
	r.uptime_s = 100000 + seq;
	double busy = static_cast<double>((salt * 7 + seq * 13) % 90);
	r.cpu.total = {busy * 0.7, 0.1, busy * 0.25, 0.5, 0.0, 0.2, 0.0, 100.0 - busy - 0.8};
	for (int c = 0; c < 4; ++c)
		r.cpu.cores.push_back({busy * 0.7, 0.0, busy * 0.25, 0.5, 0.0, 0.2, 0.0, 100.0 - busy - 0.7});
	r.cpu.context_switches_per_s = 1834.5;
	r.cpu.interrupts_per_s = 912.25;
	r.load = {busy / 40, busy / 50, busy / 60};
	r.memory = {
	    8589934592, 2147483648 + seq * 4096, 6442450944, 1073741824, 268435456, 4294967296, 2147483648, 0};
	r.processes = {187, 2, 0, 0, 412};
	r.sockets = {42, 50, 7, 0, 6, 2, 2048, 1048576};
	for (const char* m : {"/", "/var"}) {
		r.filesystems.push_back({m, "/dev/vda1", "ext4", 269490393088, 107374182400 + seq * 8192,
		                         162116210688, 16777216, 412345});
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
		ni.rx_bytes_total = 1234567890123 + seq;
		ni.tx_bytes_total = 987654321098 + seq;
		ni.ipv4 = "203.0.113.7";
		r.interfaces.push_back(ni);
	}
	return r;
}

struct Stats {
	std::mutex mu;
	std::vector<double> latencies_ms;
	std::atomic<uint64_t> ok{0}, reports{0}, failed{0}, errors{0};
	std::map<int, uint64_t> by_status;
};

struct Options {
	std::string host = "127.0.0.1";
	std::string port = "8080";
	bool sink = false;
	int connections = 16;
	double seconds = 10;
	int batch = 1;
	std::string acked_file;
};

void run_connection(const Options& o, std::vector<Agent*> agents, Clock::time_point deadline, Stats& stats,
                    std::FILE* acked, std::mutex& acked_mu) {
	asio::io_context io;
	tcp::resolver resolver(io);
	beast::tcp_stream stream(io);
	bool connected = false;
	beast::flat_buffer buffer;
	std::string body;
	std::vector<double> local_lat;
	std::map<int, uint64_t> local_status;
	size_t next_agent = 0;
	uint64_t salt = reinterpret_cast<uintptr_t>(&stream);
	while (Clock::now() < deadline) {
		beast::error_code ec;
		if (!connected) {
			auto results = resolver.resolve(o.host, o.port, ec);
			if (!ec)
				stream.connect(results, ec);
			if (ec) {
				stats.errors.fetch_add(1);
				std::this_thread::sleep_for(std::chrono::milliseconds(50));
				continue;
			}
			stream.socket().set_option(tcp::no_delay(true));
			connected = true;
		}
		http::request<http::string_body> req{http::verb::post, "/api/v1/reports", 11};
		req.set(http::field::host, o.host);
		req.set(http::field::content_type, "application/json");
		Agent* agent = nullptr;
		uint64_t first_seq = 0;
		if (o.sink) {
			req.body() = "{}";
		} else {
			agent = agents[next_agent++ % agents.size()];
			first_seq = agent->next_seq;
			ReportBatch b;
			b.stream = agent->stream;
			b.agent_version = "loadgen";
			int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
			                     std::chrono::system_clock::now().time_since_epoch())
			                     .count();
			for (int i = 0; i < o.batch; ++i)
				b.reports.push_back(
				    realistic_report(agent->next_seq++, now_ms - (o.batch - 1 - i) * 1000, salt));
			body.clear();
			encode_batch(b, body);
			SignedRequest sreq{"POST", "/api/v1/reports", "", "application/json", "", crypto::bytes(body)};
			int64_t now_s = now_ms / 1000;
			req.set(http::field::authorization,
			        sign_request(agent->key, agent->token.server_id, now_s, make_nonce(), sreq));
			req.body() = body;
		}
		req.prepare_payload();
		auto t0 = Clock::now();
		stream.expires_after(std::chrono::seconds(30));
		http::write(stream, req, ec);
		http::response<http::string_body> res;
		if (!ec)
			http::read(stream, buffer, res, ec);
		if (ec) {
			stats.errors.fetch_add(1);
			stream.close();
			connected = false;
			buffer.clear();
			if (agent)
				agent->next_seq = first_seq; // not acknowledged: the same reports go again
			continue;
		}
		double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
		local_lat.push_back(ms);
		int status = res.result_int();
		++local_status[status];
		if (status / 100 == 2) {
			stats.ok.fetch_add(1);
			stats.reports.fetch_add(static_cast<uint64_t>(o.batch));
			if (acked && agent) {
				std::lock_guard lock(acked_mu);
				for (uint64_t s = first_seq; s < agent->next_seq; ++s)
					std::fprintf(acked, "%llu %llu\n",
					             static_cast<unsigned long long>(agent->token.server_id),
					             static_cast<unsigned long long>(s));
			}
		} else {
			stats.failed.fetch_add(1);
			if (agent && (status == 429 || status >= 500))
				agent->next_seq = first_seq;
		}
		if (!res.keep_alive()) {
			stream.close();
			connected = false;
		}
	}
	std::lock_guard lock(stats.mu);
	stats.latencies_ms.insert(stats.latencies_ms.end(), local_lat.begin(), local_lat.end());
	for (auto [s, n] : local_status)
		stats.by_status[s] += n;
}

double percentile(std::vector<double>& v, double p) {
	if (v.empty())
		return 0;
	size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
	std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
	return v[i];
}

} // namespace

int main(int argc, char** argv) {
	CLI::App app{"serversan-loadgen: many signed agents against one report endpoint"};
	Options o;
	std::string url = "http://127.0.0.1:8080";
	std::string tokens_file;
	app.add_option("--url", url, "http://HOST:PORT of the endpoint")->capture_default_str();
	app.add_option("--tokens", tokens_file, "File with one agent token per line (one agent each)");
	app.add_flag("--sink", o.sink, "Plain HTTP sink: unsigned tiny POSTs (baseline)");
	app.add_option("--connections", o.connections, "Keep-alive connections (one thread each)")
	    ->check(CLI::Range(1, 4096))
	    ->capture_default_str();
	app.add_option("--seconds", o.seconds, "Duration")->check(CLI::Range(0.1, 3600.0))->capture_default_str();
	app.add_option("--batch", o.batch, "Reports per request")
	    ->check(CLI::Range(1, 1000))
	    ->capture_default_str();
	app.add_option("--acked", o.acked_file, "Write 'server_id seq' of every acknowledged report here");
	CLI11_PARSE(app, argc, argv);

	if (!url.starts_with("http://"))
		return std::fprintf(stderr, "loadgen: only http:// URLs\n"), 2;
	std::string hostport = url.substr(7);
	hostport = hostport.substr(0, hostport.find('/'));
	size_t colon = hostport.rfind(':');
	o.host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
	o.port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);

	std::vector<Agent> agents;
	if (!o.sink) {
		std::ifstream in(tokens_file);
		if (!in)
			return std::fprintf(stderr, "loadgen: --tokens FILE is required (or --sink)\n"), 2;
		std::string line;
		while (std::getline(in, line)) {
			if (line.empty())
				continue;
			auto t = parse_token(line);
			if (!t.ok())
				return std::fprintf(stderr, "loadgen: %s\n", t.error().message.c_str()), 2;
			Agent a;
			a.token = *t;
			a.key = derive_signing_key(a.token);
			std::array<uint8_t, 8> raw{};
			crypto::random_bytes(raw);
			a.stream = hex_encode(raw);
			agents.push_back(std::move(a));
		}
		if (agents.empty())
			return std::fprintf(stderr, "loadgen: no tokens in %s\n", tokens_file.c_str()), 2;
		if (static_cast<int>(agents.size()) < o.connections)
			o.connections =
			    static_cast<int>(agents.size()); // an agent never sends on two connections at once
	}

	std::FILE* acked = nullptr;
	if (!o.acked_file.empty()) {
		acked = std::fopen(o.acked_file.c_str(), "w");
		if (!acked)
			return std::fprintf(stderr, "loadgen: cannot write %s\n", o.acked_file.c_str()), 2;
		setvbuf(acked, nullptr, _IOLBF, 0); // line-buffered: survives our own kill at any moment
	}
	std::mutex acked_mu;
	Stats stats;
	auto start = Clock::now();
	auto deadline =
	    start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
	std::vector<std::thread> threads;
	for (int c = 0; c < o.connections; ++c) {
		std::vector<Agent*> mine;
		for (size_t i = static_cast<size_t>(c); i < agents.size(); i += static_cast<size_t>(o.connections))
			mine.push_back(&agents[i]);
		threads.emplace_back(run_connection, std::cref(o), std::move(mine), deadline, std::ref(stats), acked,
		                     std::ref(acked_mu));
	}
	for (auto& t : threads)
		t.join();
	double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
	if (acked)
		std::fclose(acked);

	auto& lat = stats.latencies_ms;
	double p50 = percentile(lat, 0.50), p99 = percentile(lat, 0.99);
	std::string statuses;
	for (auto [s, n] : stats.by_status)
		statuses += fmt::format(" {}:{}", s, n);
	std::printf("%s: %d connections, %zu agents, batch %d, %.1f s\n", o.sink ? "sink" : "reports",
	            o.connections, agents.size(), o.batch, elapsed);
	std::printf("requests/s %.0f  reports/s %.0f  p50 %.2f ms  p99 %.2f ms  errors %llu  statuses%s\n",
	            static_cast<double>(stats.ok.load() + stats.failed.load()) / elapsed,
	            static_cast<double>(o.sink ? stats.ok.load() : stats.reports.load()) / elapsed, p50, p99,
	            static_cast<unsigned long long>(stats.errors.load()), statuses.c_str());
	return stats.ok.load() > 0 ? 0 : 1;
}
