// serversan-loadgen: plays N agents against a report endpoint and prints reports/s and latency.
//
// Each agent has its own token (one per line in --tokens), stream and sequence counter, and
// sends realistic signed reports per docs/protocol.md. Agents are spread over --connections
// keep-alive connections driven asynchronously by --threads threads, each connection sending as
// fast as its answers come back (closed loop), so the figure is the server's sustained,
// acknowledged throughput. Against a
// plain HTTP sink (nginx `return 204;`) the same tool measures the baseline.
//
//   serversan-loadgen --url http://127.0.0.1:8080 --tokens tokens.txt --connections 64 --seconds 10
//   serversan-loadgen --url http://127.0.0.1:18080 --sink --connections 64 --seconds 10
//
// --acked FILE writes "server_id seq" for every report acknowledged with 200 (crash tests).
//
// A body is not re-encoded per request: each agent's batch is encoded once with sentinel numbers
// in the fields that change between reports (BodyTemplate), and a request's body is that text
// with the current numbers in place of the sentinels. Each agent's first body (every body with
// --check-template) is compared with what encode_batch writes for the same values.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility> // before Asio with GCC 12 and Boost 1.74
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
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

// What an agent changes between reports; the rest of realistic_report() stays as first built.
struct Changing {
	uint64_t seq;
	int64_t time_ms;
	uint64_t uptime_s, memory_used, filesystem_used, rx_bytes_total, tx_bytes_total;
};

// Report i of a batch of n whose first report is first_seq, sent at now_ms.
Changing changing(uint64_t first_seq, int64_t now_ms, int n, int i) {
	uint64_t seq = first_seq + static_cast<uint64_t>(i);
	return {seq,
	        now_ms - static_cast<int64_t>(n - 1 - i) * 1000,
	        100000 + seq,
	        2147483648 + seq * 4096,
	        107374182400 + seq * 8192,
	        1234567890123 + seq * 1500,
	        987654321098 + seq * 900};
}

void apply(Report& r, const Changing& c) {
	r.seq = c.seq;
	r.time_ms = c.time_ms;
	r.uptime_s = c.uptime_s;
	r.memory.used = c.memory_used;
	r.filesystems[0].used = c.filesystem_used;
	for (auto& ni : r.interfaces) {
		ni.rx_bytes_total = c.rx_bytes_total;
		ni.tx_bytes_total = c.tx_bytes_total;
	}
}

// A batch's JSON with the changing numbers left open: encoded once with a distinct sentinel in
// each changing field, cut at the sentinels. render() writes the literal pieces with the current
// numbers between them, which is what encode_batch writes for the same values (integers are
// written with std::to_chars there too), at a fraction of the cost.
class BodyTemplate {
public:
	// Nothing if some sentinel does not occur exactly once in the encoded text.
	static std::unique_ptr<BodyTemplate> make(const ReportBatch& batch) {
		auto t = std::make_unique<BodyTemplate>();
		ReportBatch b = batch;
		std::vector<Slot> by_sentinel; // slot of sentinel k, in the order they were given out
		auto sentinel = [&](uint32_t report, Field field) {
			by_sentinel.push_back({0, report, field});
			return kSentinelBase + (by_sentinel.size() - 1);
		};
		for (size_t i = 0; i < b.reports.size(); ++i) {
			Report& r = b.reports[i];
			auto ri = static_cast<uint32_t>(i);
			r.seq = sentinel(ri, Field::seq);
			r.time_ms = static_cast<int64_t>(sentinel(ri, Field::time_ms));
			r.uptime_s = sentinel(ri, Field::uptime_s);
			r.memory.used = sentinel(ri, Field::memory_used);
			r.filesystems[0].used = sentinel(ri, Field::filesystem_used);
			for (auto& ni : r.interfaces) {
				ni.rx_bytes_total = sentinel(ri, Field::rx_bytes_total);
				ni.tx_bytes_total = sentinel(ri, Field::tx_bytes_total);
			}
		}
		if (by_sentinel.size() > kMaxSentinels)
			return nullptr;
		encode_batch(b, t->text_);

		// Every sentinel is 19 digits starting with kSentinelPrefix, so finding every occurrence
		// of the prefix (overlapping ones too) finds every occurrence of every sentinel.
		std::vector<uint32_t> count(by_sentinel.size(), 0);
		std::string_view text = t->text_;
		for (size_t at = text.find(kSentinelPrefix); at != std::string_view::npos;
		     at = text.find(kSentinelPrefix, at + 1)) {
			uint64_t v = 0;
			if (at + kSentinelDigits > text.size())
				break;
			auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + kSentinelDigits, v);
			if (ec != std::errc{} || end != text.data() + at + kSentinelDigits || v < kSentinelBase)
				continue;
			uint64_t k = v - kSentinelBase;
			if (k >= by_sentinel.size())
				continue;
			++count[k];
			by_sentinel[k].at = at;
		}
		if (std::any_of(count.begin(), count.end(), [](uint32_t c) { return c != 1; }))
			return nullptr;
		std::sort(by_sentinel.begin(), by_sentinel.end(),
		          [](const Slot& x, const Slot& y) { return x.at < y.at; });
		t->slots_ = std::move(by_sentinel);
		return t;
	}

	// The body of a batch of `reports` reports, the first numbered first_seq, sent at now_ms.
	void render(uint64_t first_seq, int64_t now_ms, int reports, std::string& out) const {
		out.clear();
		size_t from = 0;
		for (const Slot& s : slots_) {
			out.append(text_, from, s.at - from);
			from = s.at + kSentinelDigits;
			Changing c = changing(first_seq, now_ms, reports, static_cast<int>(s.report));
			switch (s.field) {
			case Field::seq:
				append(out, c.seq);
				break;
			case Field::time_ms:
				append(out, c.time_ms);
				break;
			case Field::uptime_s:
				append(out, c.uptime_s);
				break;
			case Field::memory_used:
				append(out, c.memory_used);
				break;
			case Field::filesystem_used:
				append(out, c.filesystem_used);
				break;
			case Field::rx_bytes_total:
				append(out, c.rx_bytes_total);
				break;
			case Field::tx_bytes_total:
				append(out, c.tx_bytes_total);
				break;
			}
		}
		out.append(text_, from);
	}

private:
	enum class Field : uint8_t {
		seq,
		time_ms,
		uptime_s,
		memory_used,
		filesystem_used,
		rx_bytes_total,
		tx_bytes_total
	};
	struct Slot {
		size_t at; // where the sentinel is in text_
		uint32_t report;
		Field field;
	};
	// 19 digits (below INT64_MAX, so time_ms can hold one too), the first 13 the same for the
	// first kMaxSentinels.
	static constexpr uint64_t kSentinelBase = 7'391'000'000'000'000'000;
	static constexpr std::string_view kSentinelPrefix = "7391000000000";
	static constexpr size_t kSentinelDigits = 19;
	static constexpr size_t kMaxSentinels = 1'000'000;

	template <typename I>
	static void append(std::string& out, I v) {
		char buf[24];
		auto r = std::to_chars(buf, buf + sizeof buf, v);
		out.append(buf, r.ptr);
	}

	std::string text_;
	std::vector<Slot> slots_;
};

struct Agent {
	AgentToken token;
	SigningKey key{};
	std::string stream;
	uint64_t next_seq = 1;
	std::unique_ptr<ReportBatch> batch; // built on first use, then only its changing fields change
	std::unique_ptr<BodyTemplate> body; // from batch; none: encode_batch every time
	bool body_checked = false;          // a templated body has been compared with encode_batch
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
	int threads = 1;
	double seconds = 10;
	int batch = 1;
	bool check_template = false;
	std::string acked_file;
	std::string bind; // local address to connect from (loopback tests: 127.0.0.2 is another client)
};

// What all connections of one thread share.
struct Shared {
	const Options& o;
	Clock::time_point deadline;
	Stats& stats;
	std::FILE* acked;
	std::mutex& acked_mu;
	tcp::endpoint endpoint;
};

// One keep-alive connection in a closed loop: build a request, write it, read the answer, repeat
// until the deadline. Asynchronous, so that a few threads drive hundreds of connections (as wrk
// does) and the load generator's own scheduling does not eat the CPU the server is measured on.
// The request's head and body go out as two buffers of our own; Beast parses the answers.
class Connection : public std::enable_shared_from_this<Connection> {
public:
	Connection(asio::io_context& io, Shared& sh, std::vector<Agent*> agents)
	    : shared_(sh), socket_(io), timer_(io), agents_(std::move(agents)) {
		salt_ = reinterpret_cast<uintptr_t>(this);
		head_prefix_ = "POST /api/v1/reports HTTP/1.1\r\nHost: " + sh.o.host +
		               "\r\nContent-Type: application/json\r\nContent-Length: ";
	}

	void start() { connect(); }

	// Folded into the shared statistics once the thread's io_context has run out of work.
	std::vector<double> latencies_ms;
	std::map<int, uint64_t> by_status;

private:
	void connect() {
		if (Clock::now() >= shared_.deadline)
			return;
		if (!shared_.o.bind.empty()) {
			beast::error_code ec;
			socket_.close(ec);
			socket_.open(shared_.endpoint.protocol(), ec);
			if (!ec)
				socket_.bind(tcp::endpoint(asio::ip::make_address(shared_.o.bind, ec), 0), ec);
			if (ec) {
				std::fprintf(stderr, "serversan-loadgen: cannot bind to %s: %s\n", shared_.o.bind.c_str(),
				             ec.message().c_str());
				std::exit(2);
			}
		}
		socket_.async_connect(shared_.endpoint, [self = shared_from_this()](beast::error_code ec) {
			if (ec)
				return self->retry_later();
			beast::error_code ignored;
			self->socket_.set_option(tcp::no_delay(true), ignored);
			self->connected_ = true;
			self->send();
		});
	}

	// A refused or broken connection (the server restarting): count it, wait a little, reconnect.
	void retry_later() {
		shared_.stats.errors.fetch_add(1);
		beast::error_code ignored;
		socket_.close(ignored);
		connected_ = false;
		buffer_.clear();
		if (agent_)
			agent_->next_seq = first_seq_; // not acknowledged: the same reports go again
		agent_ = nullptr;
		timer_.expires_after(std::chrono::milliseconds(50));
		timer_.async_wait([self = shared_from_this()](beast::error_code) { self->connect(); });
	}

	void build_request() {
		const Options& o = shared_.o;
		head_.clear();
		body_.clear();
		agent_ = nullptr;
		std::string authorization;
		if (o.sink) {
			// The same bytes on the wire as a report, unsigned: the baseline differs from the
			// server's run only in what answers.
			if (sink_body_.empty()) {
				ReportBatch b;
				b.stream = "sink";
				b.agent_version = "loadgen";
				for (int i = 0; i < o.batch; ++i)
					b.reports.push_back(realistic_report(1, 1'764'000'000'000, salt_));
				encode_batch(b, sink_body_);
			}
			body_ = sink_body_;
		} else {
			agent_ = agents_[next_agent_++ % agents_.size()];
			first_seq_ = agent_->next_seq;
			int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
			                     std::chrono::system_clock::now().time_since_epoch())
			                     .count();
			if (!agent_->batch) {
				agent_->batch = std::make_unique<ReportBatch>();
				agent_->batch->stream = agent_->stream;
				agent_->batch->agent_version = "loadgen";
				for (int i = 0; i < o.batch; ++i)
					agent_->batch->reports.push_back(
					    realistic_report(1, now_ms, salt_ + agent_->token.server_id));
				agent_->body = BodyTemplate::make(*agent_->batch);
				if (!agent_->body)
					std::fprintf(stderr,
					             "loadgen: agent %llu: a sentinel is not unique in the encoded batch, "
					             "encoding every body\n",
					             static_cast<unsigned long long>(agent_->token.server_id));
			}
			// The same realistic shape each time; what an agent changes between reports changes.
			if (agent_->body) {
				agent_->body->render(first_seq_, now_ms, o.batch, body_);
				if (o.check_template || !agent_->body_checked) {
					check_body(now_ms);
					agent_->body_checked = true;
				}
			} else {
				for (int i = 0; i < o.batch; ++i)
					apply(agent_->batch->reports[static_cast<size_t>(i)],
					      changing(first_seq_, now_ms, o.batch, i));
				encode_batch(*agent_->batch, body_);
			}
			agent_->next_seq = first_seq_ + static_cast<uint64_t>(o.batch);
			SignedRequest sreq{"POST", "/api/v1/reports", "", "application/json", "", crypto::bytes(body_)};
			authorization =
			    sign_request(agent_->key, agent_->token.server_id, now_ms / 1000, make_nonce(), sreq);
		}
		head_ = head_prefix_;
		char length[24];
		head_.append(length, std::to_chars(length, length + sizeof length, body_.size()).ptr);
		head_ += "\r\n";
		if (!authorization.empty()) {
			head_ += "Authorization: ";
			head_ += authorization;
			head_ += "\r\n";
		}
		head_ += "\r\n";
	}

	// The templated body must be what encode_batch writes for the same values, byte for byte.
	void check_body(int64_t now_ms) {
		const Options& o = shared_.o;
		for (int i = 0; i < o.batch; ++i)
			apply(agent_->batch->reports[static_cast<size_t>(i)], changing(first_seq_, now_ms, o.batch, i));
		check_.clear();
		encode_batch(*agent_->batch, check_);
		if (check_ == body_)
			return;
		size_t at = static_cast<size_t>(
		    std::mismatch(check_.begin(), check_.end(), body_.begin(), body_.end()).first - check_.begin());
		size_t from = at < 40 ? 0 : at - 40;
		std::fprintf(stderr,
		             "loadgen: agent %llu, seq %llu: the templated body differs from encode_batch at byte "
		             "%zu (%zu vs %zu bytes)\n  encode_batch: ...%s...\n  template:     ...%s...\n",
		             static_cast<unsigned long long>(agent_->token.server_id),
		             static_cast<unsigned long long>(first_seq_), at, check_.size(), body_.size(),
		             check_.substr(from, 80).c_str(), body_.substr(std::min(from, body_.size()), 80).c_str());
		std::abort();
	}

	void send() {
		if (Clock::now() >= shared_.deadline) {
			beast::error_code ignored;
			socket_.close(ignored);
			return;
		}
		build_request();
		t0_ = Clock::now();
		std::array<asio::const_buffer, 2> bufs{asio::buffer(head_), asio::buffer(body_)};
		asio::async_write(socket_, bufs, [self = shared_from_this()](beast::error_code ec, size_t) {
			if (ec)
				return self->retry_later();
			self->read();
		});
	}

	void read() {
		res_.emplace();
		res_->body_limit(1 << 20);
		http::async_read(socket_, buffer_, *res_, [self = shared_from_this()](beast::error_code ec, size_t) {
			if (ec)
				return self->retry_later();
			self->on_response();
		});
	}

	void on_response() {
		const Options& o = shared_.o;
		latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0_).count());
		const auto& res = res_->get();
		int status = res.result_int();
		++by_status[status];
		if (status / 100 == 2) {
			shared_.stats.ok.fetch_add(1, std::memory_order_relaxed);
			shared_.stats.reports.fetch_add(static_cast<uint64_t>(o.batch), std::memory_order_relaxed);
			if (shared_.acked && agent_) {
				std::lock_guard lock(shared_.acked_mu);
				for (uint64_t s = first_seq_; s < agent_->next_seq; ++s)
					std::fprintf(shared_.acked, "%llu %llu\n",
					             static_cast<unsigned long long>(agent_->token.server_id),
					             static_cast<unsigned long long>(s));
			}
		} else {
			shared_.stats.failed.fetch_add(1, std::memory_order_relaxed);
			if (agent_ && (status == 429 || status >= 500))
				agent_->next_seq = first_seq_;
		}
		agent_ = nullptr;
		if (!res.keep_alive()) {
			beast::error_code ignored;
			socket_.close(ignored);
			connected_ = false;
			buffer_.clear();
			return connect();
		}
		send();
	}

	Shared& shared_;
	tcp::socket socket_;
	asio::steady_timer timer_;
	std::vector<Agent*> agents_;
	size_t next_agent_ = 0;
	uint64_t salt_ = 0;
	bool connected_ = false;
	Agent* agent_ = nullptr; // whose reports are in flight
	uint64_t first_seq_ = 0;
	std::string head_prefix_; // the request head up to the Content-Length value
	std::string head_, body_, sink_body_, check_;
	beast::flat_buffer buffer_;
	std::optional<http::response_parser<http::string_body>> res_;
	Clock::time_point t0_;
};

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
	app.add_flag("--sink", o.sink, "Plain HTTP sink: the same bodies, unsigned (baseline)");
	app.add_option("--connections", o.connections, "Keep-alive connections")
	    ->check(CLI::Range(1, 4096))
	    ->capture_default_str();
	app.add_option("--threads", o.threads, "Threads driving the connections (asynchronous IO)")
	    ->check(CLI::Range(1, 64))
	    ->capture_default_str();
	app.add_option("--seconds", o.seconds, "Duration")->check(CLI::Range(0.1, 3600.0))->capture_default_str();
	app.add_option("--batch", o.batch, "Reports per request")
	    ->check(CLI::Range(1, 1000))
	    ->capture_default_str();
	app.add_flag("--check-template", o.check_template,
	             "Compare every body with encode_batch's (default: each agent's first body)");
	app.add_option("--bind", o.bind,
	               "Local address to connect from (e.g. 127.0.0.2: another client on loopback)");
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
	asio::io_context resolver_io;
	auto start = Clock::now();
	auto deadline =
	    start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
	tcp::resolver resolver(resolver_io);
	beast::error_code rec;
	auto resolved = resolver.resolve(o.host, o.port, rec);
	if (rec || resolved.empty())
		return std::fprintf(stderr, "loadgen: cannot resolve %s:%s: %s\n", o.host.c_str(), o.port.c_str(),
		                    rec.message().c_str()),
		       2;
	o.threads = std::min(o.threads, o.connections);
	std::vector<std::unique_ptr<asio::io_context>> ios;
	std::vector<std::unique_ptr<Shared>> shareds;
	std::vector<std::shared_ptr<Connection>> conns;
	for (int t = 0; t < o.threads; ++t) {
		ios.push_back(std::make_unique<asio::io_context>(1));
		shareds.push_back(std::unique_ptr<Shared>(
		    new Shared{o, deadline, stats, acked, acked_mu, resolved.begin()->endpoint()}));
	}
	for (int c = 0; c < o.connections; ++c) {
		std::vector<Agent*> mine;
		for (size_t i = static_cast<size_t>(c); i < agents.size(); i += static_cast<size_t>(o.connections))
			mine.push_back(&agents[i]);
		conns.push_back(std::make_shared<Connection>(*ios[static_cast<size_t>(c % o.threads)],
		                                             *shareds[static_cast<size_t>(c % o.threads)],
		                                             std::move(mine)));
	}
	for (auto& c : conns)
		c->start();
	std::vector<std::thread> threads;
	for (auto& io : ios)
		threads.emplace_back([&io] { io->run(); });
	for (auto& t : threads)
		t.join();
	for (auto& c : conns) {
		stats.latencies_ms.insert(stats.latencies_ms.end(), c->latencies_ms.begin(), c->latencies_ms.end());
		for (auto [st, n] : c->by_status)
			stats.by_status[st] += n;
	}
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
