// The only translation unit of the server that includes Boost.Asio/Beast (10-20 s to compile).
// One Session template serves both plain TCP and TLS streams.
#include "serversan/server/ingest/http_listener.h"

#include <atomic>
#include <charconv>
#include <ctime>
#include <limits>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility> // must precede Asio with GCC 12 and Boost 1.74
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/ingest/downloads.h"
#include "serversan/server/ingest/tls_context.h"

namespace serversan::ingest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

// Bytes of an unread small body we read and discard before closing, so that the client sees our
// answer instead of a reset (a close with unread data makes the kernel send RST).
constexpr uint64_t kDrainLimit = 64 * 1024;
constexpr auto kDrainTime = std::chrono::seconds(1);

std::string http_date(int64_t unix_s) {
	time_t t = static_cast<time_t>(unix_s);
	tm utc{};
	gmtime_r(&t, &utc);
	char buf[64];
	strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &utc);
	return buf;
}

bool iequals(std::string_view a, std::string_view b) {
	return beast::iequals(beast::string_view(a.data(), a.size()), beast::string_view(b.data(), b.size()));
}

IpAddress to_ip(const asio::ip::address& a) {
	if (a.is_v4())
		return IpAddress::v4(a.to_v4().to_uint());
	return IpAddress::v6(a.to_v6().to_bytes());
}

bool is_parse_error(const beast::error_code& ec) {
	return ec.category() == http::make_error_code(http::error::bad_target).category();
}

// The request headers routes read (Routes::headers), split into those Beast has a field enum for
// and the others (matched by name).
struct RouteHeaderIndex {
	std::vector<std::pair<http::field, const std::string*>> known;
	std::vector<const std::string*> unknown;
};

RouteHeaderIndex index_route_headers(const Routes* routes) {
	RouteHeaderIndex index;
	if (routes)
		for (const std::string& h : routes->headers()) {
			http::field f = http::string_to_field(beast::string_view(h.data(), h.size()));
			if (f == http::field::unknown)
				index.unknown.push_back(&h);
			else
				index.known.emplace_back(f, &h);
		}
	return index;
}

class StreamChannel;

struct Shared {
	Shared(IngestService& i, HttpOptions o) : ingest(i), options(std::move(o)), metrics(i.metrics()) {}

	// Per-address connection count; false if the address is at its cap.
	bool acquire(const IpAddress& peer) {
		if (options.trusted_proxies.contains(peer))
			return true;
		std::lock_guard lock(per_ip_mu);
		size_t& n = per_ip[limit_key(peer)];
		if (n >= options.max_connections_per_ip)
			return false;
		++n;
		return true;
	}
	void release(const IpAddress& peer) {
		if (options.trusted_proxies.contains(peer))
			return;
		std::lock_guard lock(per_ip_mu);
		auto it = per_ip.find(limit_key(peer));
		if (it != per_ip.end() && --it->second == 0)
			per_ip.erase(it);
	}

	IngestService& ingest;
	HttpOptions options;
	IngestMetrics& metrics;
	Downloads downloads{options.downloads_dir};
	std::optional<ssl::context> tls;
	std::atomic<size_t> connections{0};
	std::mutex per_ip_mu;
	std::unordered_map<std::string, size_t> per_ip;
	std::atomic<int> in_commit{0}; // requests waiting for the writer
	std::atomic<bool> stopping{false};
	RouteHeaderIndex route_headers = index_route_headers(options.routes.get());

	// Every streamed answer still open, so that stop() can end them (see StreamChannel).
	void add_stream(const std::shared_ptr<StreamChannel>& channel);
	void close_streams();
	std::mutex streams_mu;
	std::vector<std::weak_ptr<StreamChannel>> streams;
};

// Each IO thread runs its own io_context and a connection lives on one of them for its whole
// life, so its handlers and its stream's timer never run concurrently: no strand, and a concrete
// executor type instead of any_executor (both showed up per request in profiles).
using IoExecutor = asio::io_context::executor_type;
using TcpStream = beast::basic_stream<tcp, IoExecutor>;
using TlsStream = beast::ssl_stream<TcpStream>;
using Socket = tcp::socket::rebind_executor<IoExecutor>::other;

// The connection side of a streamed answer: a session implements it; the channel reaches it only
// through a weak pointer, on the session's IO thread.
class StreamSink {
public:
	virtual ~StreamSink() = default;
	// Sends what the channel holds, or closes the connection once the stream is over or gone.
	virtual void stream_flush() = 0;
};

// The StreamWriter a streamed answer gets (routes.h). Chunks from any thread are framed and
// appended to one buffer under a mutex; the first chunk after a flush posts one flush to the
// connection's IO thread, which swaps the buffer out and writes it. A client that does not read
// fast enough lets the buffer grow past `cap`: it is dropped rather than buffered without end.
// Once gone (the client left, was dropped, or the server stops) nothing is posted any more, so no
// completion reaches an io_context that stop() destroys.
class StreamChannel final : public StreamWriter {
public:
	StreamChannel(IoExecutor executor, std::weak_ptr<StreamSink> sink, bool chunked, size_t cap)
	    : executor_(executor), sink_(std::move(sink)), chunked_(chunked), cap_(cap) {}

	bool write(std::string chunk) override {
		std::lock_guard lock(mu_);
		if (gone_ || closed_)
			return false;
		if (chunk.empty()) // a zero-size chunk would end the chunked answer
			return true;
		if (pending_.size() + chunk.size() > cap_) {
			log::debug("http: dropped a stream's client that read too slowly ({} bytes queued)",
			           pending_.size());
			gone_ = true;
			post_flush();
			return false;
		}
		frame(pending_, chunk, chunked_);
		post_flush();
		return true;
	}

	void close() override {
		std::lock_guard lock(mu_);
		if (gone_ || closed_)
			return;
		closed_ = true;
		if (chunked_)
			pending_.append("0\r\n\r\n");
		post_flush();
	}

	bool open() const override {
		std::lock_guard lock(mu_);
		return !gone_ && !closed_;
	}

	bool gone() const {
		std::lock_guard lock(mu_);
		return gone_;
	}

	// The connection is over (or the server stops): write() answers false from now on.
	void set_gone() {
		std::lock_guard lock(mu_);
		gone_ = true;
		pending_.clear();
	}

	// On the IO thread: what to send next (into `out`, swapped with the queue) and whether the
	// answer is over once it is sent (closed by the stream, or gone).
	bool take(std::string& out) {
		std::lock_guard lock(mu_);
		flush_posted_ = false;
		out.clear();
		if (gone_)
			return true;
		out.swap(pending_);
		return closed_;
	}

	// One chunk in HTTP/1.1 chunked encoding, or as it is when the connection's close ends it.
	static void frame(std::string& out, std::string_view chunk, bool chunked) {
		if (chunked) {
			char buf[20];
			auto end = std::to_chars(buf, buf + sizeof buf, chunk.size(), 16).ptr;
			out.append(buf, end);
			out.append("\r\n");
		}
		out.append(chunk);
		if (chunked)
			out.append("\r\n");
	}

private:
	void post_flush() {
		if (flush_posted_)
			return;
		flush_posted_ = true;
		asio::post(executor_, [sink = sink_] {
			if (auto s = sink.lock())
				s->stream_flush();
		});
	}

	IoExecutor executor_;
	std::weak_ptr<StreamSink> sink_;
	const bool chunked_;
	const size_t cap_;
	mutable std::mutex mu_;
	std::string pending_;
	bool closed_ = false, gone_ = false, flush_posted_ = false;
};

void Shared::add_stream(const std::shared_ptr<StreamChannel>& channel) {
	std::lock_guard lock(streams_mu);
	// Read under the mutex: close_streams() sets the flag before it takes the mutex, so a stream
	// either is in its list or sees the flag.
	if (stopping.load()) {
		channel->set_gone();
		return;
	}
	std::erase_if(streams, [](const std::weak_ptr<StreamChannel>& w) { return w.expired(); });
	streams.push_back(channel);
}

void Shared::close_streams() {
	std::lock_guard lock(streams_mu);
	for (auto& w : streams)
		if (auto c = w.lock())
			c->set_gone();
	streams.clear();
}

// "Date" only changes once a second: formatted once per second per IO thread.
std::string_view cached_http_date(int64_t unix_s) {
	thread_local int64_t last = std::numeric_limits<int64_t>::min();
	thread_local std::string text;
	if (unix_s != last) {
		text = http_date(unix_s);
		last = unix_s;
	}
	return text;
}

// What the session keeps of a request: the parts of the head it uses and the body, in strings
// that keep their capacity from one request to the next.
struct RequestData {
	http::verb verb = http::verb::unknown;
	std::string method, target, content_type, content_encoding, authorization, expect;
	bool seen_content_type = false, seen_content_encoding = false, seen_authorization = false,
	     seen_expect = false;
	bool want_forwarded = false;
	size_t forwarded_count = 0;
	std::vector<std::string> forwarded;              // the first forwarded_count are this request's
	const RouteHeaderIndex* route_headers = nullptr; // the headers routes read (routes.h)
	std::vector<std::pair<std::string, std::string>> route_values;
	int version = 11; // 10 or 11
	std::string body;

	void reset(bool with_forwarded) {
		verb = http::verb::unknown;
		method.clear();
		target.clear();
		content_type.clear();
		content_encoding.clear();
		authorization.clear();
		expect.clear();
		seen_content_type = seen_content_encoding = seen_authorization = seen_expect = false;
		want_forwarded = with_forwarded;
		forwarded_count = 0;
		route_values.clear();
		// One large body must not stay with an idle keep-alive connection.
		if (body.capacity() > 64 * 1024)
			std::string().swap(body);
		body.clear();
	}
};

// Beast's request_parser builds a message: a node allocation per field, a fresh body string and
// a teardown per request. This parser (same Beast parsing, limits and errors underneath) only
// copies what the session reads into its RequestData, whose strings are reused. What it keeps
// matches what the message gave: the first occurrence of a field for operator[], every
// X-Forwarded-For in order for equal_range.
class RequestParser final : public http::basic_parser<true> {
public:
	explicit RequestParser(RequestData& data) : d_(data) {}

private:
	static void first(std::string& out, bool& seen, beast::string_view value) {
		if (seen)
			return;
		seen = true;
		out.assign(value.data(), value.size());
	}

	void on_request_impl(http::verb method, beast::string_view method_str, beast::string_view target,
	                     int version, beast::error_code& ec) override {
		d_.verb = method;
		d_.version = version;
		d_.method.assign(method_str.data(), method_str.size());
		d_.target.assign(target.data(), target.size());
		ec = {};
	}
	void on_response_impl(int, beast::string_view, int, beast::error_code& ec) override { ec = {}; }
	void on_field_impl(http::field name, beast::string_view name_string, beast::string_view value,
	                   beast::error_code& ec) override {
		ec = {};
		// A field Beast knows is matched by its enum: a report's usual headers cost an integer
		// comparison per route header, not a string comparison.
		if (name != http::field::unknown && d_.route_headers)
			for (const auto& [field, h] : d_.route_headers->known)
				if (field == name)
					d_.route_values.emplace_back(*h, std::string(value.data(), value.size()));
		switch (name) {
		case http::field::content_type:
			return first(d_.content_type, d_.seen_content_type, value);
		case http::field::content_encoding:
			return first(d_.content_encoding, d_.seen_content_encoding, value);
		case http::field::authorization:
			return first(d_.authorization, d_.seen_authorization, value);
		case http::field::expect:
			return first(d_.expect, d_.seen_expect, value);
		case http::field::unknown:
			// Beast 1.74 has no field enum for it.
			if (d_.want_forwarded && beast::iequals(name_string, "X-Forwarded-For")) {
				if (d_.forwarded.size() <= d_.forwarded_count)
					d_.forwarded.emplace_back();
				d_.forwarded[d_.forwarded_count++].assign(value.data(), value.size());
				return;
			}
			if (d_.route_headers)
				for (const std::string* h : d_.route_headers->unknown)
					if (beast::iequals(name_string, *h))
						d_.route_values.emplace_back(*h, std::string(value.data(), value.size()));
			return;
		default:
			return;
		}
	}
	void on_header_impl(beast::error_code& ec) override { ec = {}; }
	void on_body_init_impl(const boost::optional<uint64_t>& content_length, beast::error_code& ec) override {
		ec = {};
		if (!content_length)
			return;
		if (*content_length > d_.body.max_size()) {
			ec = http::error::buffer_overflow;
			return;
		}
		d_.body.reserve(static_cast<size_t>(*content_length));
	}
	size_t on_body_impl(beast::string_view body, beast::error_code& ec) override { return put(body, ec); }
	void on_chunk_header_impl(uint64_t, beast::string_view, beast::error_code& ec) override { ec = {}; }
	size_t on_chunk_body_impl(uint64_t, beast::string_view body, beast::error_code& ec) override {
		return put(body, ec);
	}
	void on_finish_impl(beast::error_code& ec) override { ec = {}; }

	size_t put(beast::string_view body, beast::error_code& ec) {
		if (body.size() > d_.body.max_size() - d_.body.size()) {
			ec = http::error::buffer_overflow;
			return 0;
		}
		ec = {};
		d_.body.append(body.data(), body.size());
		return body.size();
	}

	RequestData& d_;
};

constexpr size_t kChunked = std::numeric_limits<size_t>::max();
constexpr size_t kUntilClose = kChunked - 1;

template <class Int>
void append_int(std::string& out, Int v) {
	char buf[24];
	auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
	out.append(buf, end);
}

template <class Stream>
class Session final : public std::enable_shared_from_this<Session<Stream>>, public StreamSink {
	static constexpr bool kTls = !std::is_same_v<Stream, TcpStream>;

public:
	template <class... Args>
	Session(std::shared_ptr<Shared> shared, IpAddress peer, Args&&... args)
	    : stream_(std::forward<Args>(args)...), shared_(std::move(shared)), peer_(peer),
	      // Holds at most a header block plus one read's worth of what follows it.
	      buffer_(std::max<size_t>(16384, shared_->options.max_header_bytes + 8192)) {}

	~Session() {
		if (channel_)
			channel_->set_gone();
		shared_->release(peer_);
		shared_->connections.fetch_sub(1);
		shared_->metrics.connections_open.fetch_sub(1, std::memory_order_relaxed);
	}

	void run() {
		asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
	}

private:
	TcpStream& lowest() { return beast::get_lowest_layer(stream_); }
	const HttpOptions& opt() const { return shared_->options; }

	void start() {
		// One deadline covers the TLS handshake and the first request's headers.
		header_deadline_ = steady::now() + opt().header_timeout;
		if constexpr (kTls) {
			lowest().expires_at(header_deadline_);
			stream_.async_handshake(ssl::stream_base::server,
			                        [self = this->shared_from_this()](beast::error_code ec) {
				                        if (ec) {
					                        self->shared_->metrics.tls_handshake_failures.fetch_add(1);
					                        if (ec == beast::error::timeout)
						                        self->shared_->metrics.timeouts.fetch_add(1);
					                        log::debug("http: TLS handshake with {} failed: {}",
					                                   self->peer_.to_string(), ec.message());
					                        return self->close();
				                        }
				                        self->read_header();
			                        });
		} else {
			read_header();
		}
	}

	// Keep-alive: wait (idle limit) for the first bytes of the next request, then give its
	// headers the header limit from there, so a slow trickle cannot live on the idle limit.
	void wait_for_next() {
		if (buffer_.size() > 0) {
			header_deadline_ = steady::now() + opt().header_timeout;
			return read_header();
		}
		lowest().expires_after(opt().idle_timeout);
		stream_.async_read_some(buffer_.prepare(4096),
		                        [self = this->shared_from_this()](beast::error_code ec, size_t n) {
			                        if (ec)
				                        return self->close();
			                        self->buffer_.commit(n);
			                        self->header_deadline_ = steady::now() + self->opt().header_timeout;
			                        self->read_header();
		                        });
	}

	void read_header() {
		req_.reset(!opt().trusted_proxies.empty());
		req_.route_headers = opt().routes ? &shared_->route_headers : nullptr;
		route_ = nullptr;
		parser_.emplace(req_);
		parser_->header_limit(static_cast<uint32_t>(opt().max_header_bytes));
		// No body limit while reading the header: Beast would refuse an announced oversized body
		// as a parse error; the IngestService answers it with a proper 413 instead, and the
		// limit is set before any body byte is read (read_body). Not boost::none: Beast 1.74
		// compares the length with the optional, and every length exceeds "none".
		parser_->body_limit(std::numeric_limits<uint64_t>::max());
		lowest().expires_at(header_deadline_);
		http::async_read_header(
		    stream_, buffer_, *parser_,
		    [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
	}

	void on_header(beast::error_code ec) {
		if (ec == beast::error::timeout)
			shared_->metrics.timeouts.fetch_add(1, std::memory_order_relaxed);
		// Refused mid-request: drain what the client is still sending so it can read the answer.
		if (ec == http::error::header_limit) {
			drain_ = true;
			return respond_simple(431, "header_too_large", "header block too large", false);
		}
		if (ec && is_parse_error(ec) && ec != http::error::end_of_stream &&
		    ec != http::error::partial_message) {
			drain_ = true;
			return respond_simple(400, "bad_request", "malformed HTTP request", false);
		}
		if (ec)
			return close();
		head_time_ = steady::now();
		const auto& req = req_;
		std::vector<std::string_view> forwarded;
		// Every occurrence counts, in order.
		for (size_t i = 0; i < req.forwarded_count; ++i)
			forwarded.push_back(req.forwarded[i]);
		client_ = resolve_client_ip(peer_, forwarded, opt().trusted_proxies);
		// What the limits count under (and the logs show): the address, an IPv6 client's /64.
		client_text_ = limit_key(client_);

		std::string_view target = req.target;
		std::string_view path = target.substr(0, target.find('?'));
		bool has_body = parser_->chunked() || parser_->content_length().value_or(0) != 0;
		if (Downloads::is_download_path(path)) {
			if (has_body)
				return respond_simple(400, "bad_request", "no body expected", false);
			auto d = shared_->downloads.serve(req.method, path);
			return send_download(*d, req.verb == http::verb::head, parser_->keep_alive());
		}
		if (req.verb == http::verb::get && (path == "/healthz" || path == "/metrics")) {
			if (has_body)
				return respond_simple(400, "bad_request", "no body expected", false);
			if (path == "/healthz") {
				if (shared_->stopping.load())
					return respond_text(503, "shutting down\n", false);
				return respond_text(200, "ok\n", parser_->keep_alive());
			}
			// Decided on the resolved client address, so a request relayed by a local reverse
			// proxy counts as the internet client it is, not as loopback.
			if (!opt().metrics_allow.contains(client_))
				return respond_simple(404, "not_found", "no such endpoint", parser_->keep_alive());
			return respond_text(200, shared_->metrics.render(), parser_->keep_alive(),
			                    "text/plain; version=0.0.4; charset=utf-8");
		}

		// The reports' path is the ingest's whatever the routes say: a web prefix route on
		// /api/v1/ never sees a report, and a report pays this one comparison for the routes.
		if (opt().routes && path != kReportsPath) {
			const Route* route = opt().routes->find(req.method, path);
			// HEAD runs the GET route (as GET) and sends its head only.
			head_only_ = !route && req.verb == http::verb::head;
			if (head_only_)
				route = opt().routes->find("GET", path);
			if (route) {
				if (shared_->stopping.load())
					return finish_unread(shutting_down());
				route_ = route;
				return read_body();
			}
		}

		IngestRequest head;
		head.method = req.method;
		head.target = target;
		head.content_type = req.content_type;
		head.content_encoding = req.content_encoding;
		head.authorization = req.authorization;
		if (!parser_->chunked() && parser_->content_length())
			head.content_length = *parser_->content_length();
		head.client_ip = client_text_;
		if (shared_->stopping.load())
			return finish_unread(shutting_down());
		auto verdict = shared_->ingest.check_head(head);
		if (auto* r = std::get_if<IngestResponse>(&verdict))
			return finish_unread(std::move(*r));
		ticket_.emplace(std::move(std::get<HeadTicket>(verdict)));
		if (iequals(req.expect, "100-continue")) {
			// The checks passed: now ask for the body (curl waits a second for this otherwise).
			auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
			lowest().expires_after(opt().write_timeout);
			return http::async_write(stream_, *cont,
			                         [self = this->shared_from_this(), cont](beast::error_code wec, size_t) {
				                         if (wec)
					                         return self->close();
				                         self->read_body();
			                         });
		}
		read_body();
	}

	void read_body() {
		parser_->body_limit(shared_->ingest.options().max_body_bytes);
		body_deadline_ = steady::now() + opt().body_timeout;
		read_body_some();
	}

	void read_body_some() {
		if (parser_->is_done())
			return on_body();
		lowest().expires_at(std::min(steady::now() + opt().body_idle_timeout, body_deadline_));
		http::async_read_some(stream_, buffer_, *parser_,
		                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
			                      if (ec == http::error::body_limit)
				                      return self->respond_simple(413, "too_large", "body too large", false);
			                      if (ec == beast::error::timeout)
				                      self->shared_->metrics.timeouts.fetch_add(1, std::memory_order_relaxed);
			                      if (ec)
				                      return self->close();
			                      self->read_body_some();
		                      });
	}

	void on_body() {
		const auto& req = req_;
		if (route_)
			return on_route();
		IngestRequest in;
		in.method = req.method;
		in.target = req.target;
		in.content_type = req.content_type;
		in.content_encoding = req.content_encoding;
		in.authorization = req.authorization;
		if (parser_->content_length())
			in.content_length = *parser_->content_length();
		in.body = req.body;
		in.client_ip = client_text_;
		auto verdict = shared_->ingest.check_body(in, *ticket_);
		if (auto* r = std::get_if<IngestResponse>(&verdict))
			return finish(std::move(*r), parser_->keep_alive());
		// Waiting for the writer holds no thread and no deadline: the writer's queue is bounded
		// and it answers every job.
		lowest().expires_never();
		auto pending = std::make_shared<Pending>(shared_, this->shared_from_this());
		// Counted first, then the flag read: stop() sets the flag, then waits for the count, so
		// either it waits for this request or this request sees the flag (both seq_cst).
		if (shared_->stopping.load()) {
			pending.reset();
			return finish(shutting_down(), false);
		}
		bool keep_alive = parser_->keep_alive();
		shared_->ingest.commit(std::move(std::get<VerifiedBatch>(verdict)),
		                       [pending, keep_alive](IngestResponse r) {
			                       auto executor = pending->session->stream_.get_executor();
			                       asio::post(executor, [pending, keep_alive, r = std::move(r)]() mutable {
				                       auto self = pending->session;
				                       // Held until the answer is written (send clears it).
				                       self->commit_hold_ = std::move(pending);
				                       self->finish(std::move(r), keep_alive);
			                       });
		                       });
	}

	void on_route() {
		const auto& req = req_;
		std::string_view target = req.target;
		size_t q = target.find('?');
		RouteRequest in{head_only_ ? std::string_view("GET") : std::string_view(req.method),
		                target.substr(0, q), client_text_, req.body, &req.route_values};
		if (q != std::string_view::npos)
			in.query = target.substr(q + 1);
		in.tls = kTls;
		RouteResponse out = route_->handler(in);
		route_ = nullptr;
		bool keep_alive = parser_->keep_alive() && !shared_->stopping.load();
		if (out.stream && !head_only_)
			return start_stream(std::move(out));
		write_head(out.status, out.content_type, std::nullopt, out.body.size(), keep_alive, &out.headers);
		if (!head_only_)
			out_.append(out.body);
		write_out(keep_alive);
	}

	// A streamed answer (routes.h): the head (chunked, or ended by the close for HTTP/1.0) and the
	// response's body; once written, the stream gets its writer. The connection is not reused.
	void start_stream(RouteResponse out) {
		bool chunked = req_.version >= 11;
		write_head(out.status, out.content_type, std::nullopt, chunked ? kChunked : kUntilClose, false,
		           &out.headers);
		if (!out.body.empty())
			StreamChannel::frame(out_, out.body, chunked);
		channel_ = std::make_shared<StreamChannel>(stream_.get_executor(), this->weak_from_this(), chunked,
		                                           opt().stream_queue_bytes);
		shared_->add_stream(channel_);
		lowest().expires_after(opt().write_timeout);
		asio::async_write(
		    stream_, asio::buffer(out_),
		    [self = this->shared_from_this(), stream = std::move(out.stream)](beast::error_code ec, size_t) {
			    if (ec) {
				    if (ec == beast::error::timeout)
					    self->shared_->metrics.timeouts.fetch_add(1, std::memory_order_relaxed);
				    return self->close();
			    }
			    self->on_stream_head_written(stream);
		    });
	}

	void on_stream_head_written(const std::shared_ptr<ResponseStream>& stream) {
		// The client's close is only seen by reading: a read stays pending for the stream's whole
		// life (no deadline; each write has its own), and whatever arrives is dropped.
		lowest().expires_never();
		drain_buf_.resize(512);
		watch_client();
		stream->start(channel_);
		stream_flush();
	}

	void watch_client() {
		stream_.async_read_some(asio::buffer(drain_buf_),
		                        [self = this->shared_from_this()](beast::error_code ec, size_t) {
			                        if (ec)
				                        return self->close();
			                        self->watch_client();
		                        });
	}

	void stream_flush() override {
		if (!channel_)
			return;
		// A client dropped for reading too slowly has a write stuck on it: close now rather
		// than at the write's time-out.
		if (stream_writing_) {
			if (channel_->gone())
				close();
			return;
		}
		bool over = channel_->take(out_);
		if (out_.empty()) {
			if (over)
				close();
			return;
		}
		stream_writing_ = true;
		lowest().expires_after(opt().write_timeout);
		asio::async_write(stream_, asio::buffer(out_),
		                  [self = this->shared_from_this()](beast::error_code ec, size_t) {
			                  self->stream_writing_ = false;
			                  if (ec) {
				                  if (ec == beast::error::timeout)
					                  self->shared_->metrics.timeouts.fetch_add(1, std::memory_order_relaxed);
				                  return self->close();
			                  }
			                  self->stream_flush();
		                  });
	}

	// One request between the hand-over to the writer and its answer on the wire: counted in
	// Shared::in_commit for as long as the writer's callback or the answer still needs the
	// session. HttpServer::stop() waits for the count to reach zero before it stops the IO
	// threads, so no answer is lost and the writer thread never drops the last reference to a
	// session after the io_context is gone.
	struct Pending {
		Pending(std::shared_ptr<Shared> sh, std::shared_ptr<Session> s)
		    : shared(std::move(sh)), session(std::move(s)) {
			shared->in_commit.fetch_add(1);
		}
		~Pending() {
			session.reset();
			shared->in_commit.fetch_sub(1);
		}
		std::shared_ptr<Shared> shared;
		std::shared_ptr<Session> session;
	};

	// A report request is answered: account for it and send.
	void finish(IngestResponse r, bool keep_alive) {
		shared_->metrics.request_seconds.observe(
		    std::chrono::duration<double>(steady::now() - head_time_).count());
		// Debug only: a flood of refused requests must not become a flood of log writes.
		if (r.status != 200)
			log::debug("ingest: {} {} from {}", r.status, r.reason, client_text_);
		ticket_.reset();
		// Every 401 closes the connection, whatever its reason (protocol.md section 6): the
		// answers are alike on the wire, and a caller failing authentication pays a new
		// connection (a TLS handshake) per attempt.
		if (r.status == 401)
			keep_alive = false;
		respond(std::move(r), keep_alive && !shared_->stopping.load());
	}

	// Answered from the headers alone: the body stays unread, so the connection closes after the
	// answer (a small body is drained first so that the client gets to read the answer).
	void finish_unread(IngestResponse r) {
		uint64_t declared = parser_->content_length().value_or(0);
		drain_ = !parser_->chunked() && declared <= kDrainLimit;
		finish(std::move(r), false);
	}

	void respond(IngestResponse out, bool keep_alive) {
		send(out.status, "application/json", out.retry_after_s, out.body, keep_alive);
	}

	// Every refusal body has the form of protocol.md section 6, server_time_ms included; only the
	// 401 body is bare.
	IngestResponse refusal(int status, std::string_view reason, std::string_view detail) {
		shared_->metrics.count_rejection(reason);
		IngestResponse r;
		r.status = status;
		r.reason = reason;
		r.body = fmt::format(R"({{"error":"{}","reason":"{}","server_time_ms":{}}})", reason, detail,
		                     shared_->ingest.clock().unix_millis());
		return r;
	}

	IngestResponse shutting_down() {
		IngestResponse r = refusal(503, "shutting_down", "server shutting down");
		r.retry_after_s = 5;
		return r;
	}

	void respond_simple(int status, std::string_view reason, std::string_view detail, bool keep_alive) {
		respond(refusal(status, reason, detail), keep_alive);
	}

	void respond_text(int status, std::string body, bool keep_alive,
	                  std::string_view type = "text/plain; charset=utf-8") {
		send(status, type, std::nullopt, body, keep_alive);
	}

	// The answer is serialized by hand into a buffer the session keeps, byte for byte what
	// Beast's serializer wrote for the same message (same fields, same order), without a
	// message, its field nodes and a serializer per answer.
	void send(int status, std::string_view type, std::optional<int> retry_after_s, std::string_view body,
	          bool keep_alive) {
		write_head(status, type, retry_after_s, body.size(), keep_alive);
		out_.append(body);
		write_out(keep_alive);
	}

	void write_out(bool keep_alive) {
		lowest().expires_after(opt().write_timeout);
		asio::async_write(stream_, asio::buffer(out_),
		                  [self = this->shared_from_this(), keep_alive](beast::error_code ec, size_t) {
			                  self->after_write(ec, keep_alive);
		                  });
	}

	// A download (install.sh, an agent binary): the body is shared with the cache and sent as a
	// second buffer, not copied into out_; HEAD gets the head only. A 2 MB binary on a slow link
	// needs longer than an answer of a few bytes: the deadline grows with the size (at least
	// 32 KiB/s).
	void send_download(const DownloadResponse& d, bool head_only, bool keep_alive) {
		write_head(d.status, d.content_type, std::nullopt, d.body->size(), keep_alive);
		auto timeout = opt().write_timeout + std::chrono::milliseconds(d.body->size() / 32);
		lowest().expires_after(timeout);
		std::array<asio::const_buffer, 2> bufs{asio::buffer(out_),
		                                       head_only ? asio::const_buffer() : asio::buffer(*d.body)};
		asio::async_write(stream_, bufs,
		                  [self = this->shared_from_this(), body = d.body,
		                   keep_alive](beast::error_code ec, size_t) { self->after_write(ec, keep_alive); });
	}

	// `length`: the body's, or kChunked, or kUntilClose (the close ends the body). `extra`: a
	// route's headers; one with CR or LF in it is left out (no header injection).
	void write_head(int status, std::string_view type, std::optional<int> retry_after_s, size_t length,
	                bool keep_alive,
	                const std::vector<std::pair<std::string, std::string>>* extra = nullptr) {
		int64_t ms = shared_->ingest.clock().unix_millis();
		auto reason = http::obsolete_reason(static_cast<http::status>(status));
		out_.clear();
		out_.append("HTTP/1.1 ");
		append_int(out_, status);
		out_.push_back(' ');
		out_.append(reason.data(), reason.size());
		out_.append("\r\nContent-Type: ");
		out_.append(type);
		if (retry_after_s) {
			out_.append("\r\nRetry-After: ");
			append_int(out_, *retry_after_s);
		}
		out_.append("\r\nServer: serversan\r\nDate: ");
		out_.append(cached_http_date(ms / 1000));
		out_.append("\r\nX-ServerSan-Time: ");
		append_int(out_, ms);
		if (extra)
			for (const auto& [name, value] : *extra) {
				if (name.find_first_of("\r\n:") != std::string::npos ||
				    value.find_first_of("\r\n") != std::string::npos) {
					log::warn("http: a route's header {} has a line break: left out", name.substr(0, 40));
					continue;
				}
				out_.append("\r\n");
				out_.append(name);
				out_.append(": ");
				out_.append(value);
			}
		if (!keep_alive)
			out_.append("\r\nConnection: close");
		if (length == kChunked) {
			out_.append("\r\nTransfer-Encoding: chunked");
		} else if (length != kUntilClose) {
			out_.append("\r\nContent-Length: ");
			append_int(out_, length);
		}
		out_.append("\r\n\r\n");
	}

	void after_write(beast::error_code ec, bool keep_alive) {
		commit_hold_.reset();
		if (ec == beast::error::timeout)
			shared_->metrics.timeouts.fetch_add(1, std::memory_order_relaxed);
		if (ec)
			return close();
		if (!keep_alive)
			return drain_ ? drain_and_close() : close();
		wait_for_next();
	}

	// Half-close, then read and drop what the client still sends (bounded in bytes and time),
	// so that our answer is not destroyed by a reset.
	void drain_and_close() {
		beast::error_code ignored;
		lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
		drain_deadline_ = steady::now() + kDrainTime;
		drain_buf_.resize(4096); // only now: an idle connection should not carry it
		drain_some();
	}

	void drain_some() {
		if (drained_ >= kDrainLimit)
			return close();
		lowest().expires_at(drain_deadline_);
		lowest().async_read_some(asio::buffer(drain_buf_),
		                         [self = this->shared_from_this()](beast::error_code ec, size_t n) {
			                         self->drained_ += n;
			                         if (ec)
				                         return self->close();
			                         self->drain_some();
		                         });
	}

	void close() {
		if (channel_)
			channel_->set_gone();
		beast::error_code ignored;
		lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
		lowest().close();
	}

	Stream stream_;
	std::shared_ptr<Shared> shared_;
	IpAddress peer_;
	IpAddress client_;
	std::string client_text_;
	beast::flat_buffer buffer_;
	std::string out_; // the answer being written; keeps its capacity between requests
	RequestData req_;
	std::optional<RequestParser> parser_; // refers to req_
	std::optional<HeadTicket> ticket_;
	const Route* route_ = nullptr;           // this request is for a route (routes.h), not a report
	bool head_only_ = false;                 // a HEAD answered by a GET route
	std::shared_ptr<StreamChannel> channel_; // a streamed answer's (start_stream)
	bool stream_writing_ = false;
	std::shared_ptr<Pending> commit_hold_;
	steady::time_point header_deadline_{}, body_deadline_{}, drain_deadline_{}, head_time_{};
	bool drain_ = false;
	uint64_t drained_ = 0;
	std::vector<char> drain_buf_;
};

} // namespace

struct HttpServer::Impl {
	Impl(IngestService& ingest, HttpOptions options)
	    : shared(std::make_shared<Shared>(ingest, std::move(options))) {
		// Concurrency hint 1: each context is run by exactly one thread.
		for (int i = 0; i < std::max(1, shared->options.threads); ++i)
			ios.push_back(std::make_unique<asio::io_context>(1));
		acceptor = std::make_unique<tcp::acceptor>(*ios[0]);
	}

	void accept() {
		// Round robin: connections are many and alike (agents), so this spreads them evenly.
		auto& io = *ios[next_io++ % ios.size()];
		acceptor->async_accept(io, [this](beast::error_code ec, Socket socket) {
			if (ec) {
				if (ec == asio::error::operation_aborted || !acceptor->is_open())
					return;
				// Out of file descriptors, for instance: keep accepting once some are back.
				log::warn("http: accept failed: {}", ec.message());
				return retry_accept();
			}
			on_accept(std::move(socket));
			accept();
		});
	}

	void retry_accept() {
		auto timer = std::make_shared<asio::steady_timer>(*ios[0], std::chrono::milliseconds(50));
		timer->async_wait([this, timer](beast::error_code ec) {
			if (!ec && acceptor->is_open())
				accept();
		});
	}

	void on_accept(Socket socket) {
		beast::error_code ec;
		auto endpoint = socket.remote_endpoint(ec);
		if (ec)
			return;
		IpAddress peer = to_ip(endpoint.address());
		IngestMetrics& m = shared->metrics;
		// Over a cap: close at once rather than queue work we cannot serve.
		if (shared->stopping.load())
			return;
		if (shared->connections.load() >= shared->options.max_connections) {
			m.refused_max_connections.fetch_add(1, std::memory_order_relaxed);
			return;
		}
		if (!shared->acquire(peer)) {
			m.refused_max_per_ip.fetch_add(1, std::memory_order_relaxed);
			return;
		}
		shared->connections.fetch_add(1);
		m.connections_open.fetch_add(1, std::memory_order_relaxed);
		m.connections_accepted.fetch_add(1, std::memory_order_relaxed);
		socket.set_option(tcp::no_delay(true), ec);
		if (shared->tls)
			std::make_shared<Session<TlsStream>>(shared, peer, std::move(socket), *shared->tls)->run();
		else
			std::make_shared<Session<TcpStream>>(shared, peer, std::move(socket))->run();
	}

	std::shared_ptr<Shared> shared;
	// One per IO thread. Pointers so that stop() can destroy them: that destroys every session
	// still parked in an io_context and closes its socket at once, instead of when the HttpServer
	// goes.
	std::vector<std::unique_ptr<asio::io_context>> ios;
	std::unique_ptr<tcp::acceptor> acceptor; // on ios[0]
	size_t next_io = 0;                      // only touched by the accept handler
	// Keep run() going while the acceptor is closed but requests still wait for the writer
	// (such a session has no operation pending); released by stop() once they are answered.
	std::vector<asio::executor_work_guard<IoExecutor>> work;
	std::vector<std::thread> threads;
	std::atomic<bool> stopped{false};
};

HttpServer::HttpServer(IngestService& ingest, HttpOptions options)
    : impl_(std::make_unique<Impl>(ingest, std::move(options))) {}

HttpServer::~HttpServer() {
	stop();
}

Result<void> HttpServer::start() {
	Shared& s = *impl_->shared;
	const HttpOptions& o = s.options;
	if (o.tls_cert.empty() != o.tls_key.empty())
		return Err("TLS needs both a certificate and a key (tls_cert and tls_key)");
	if (!o.tls_cert.empty()) {
		auto ctx = make_tls_server_context(o.tls_cert, o.tls_key);
		if (!ctx.ok())
			return ctx.error();
		s.tls.emplace(*ctx); // takes ownership
	}
	beast::error_code ec;
	auto address = asio::ip::make_address(o.address, ec);
	if (ec)
		return Err(fmt::format("bad listen address \"{}\": {}", o.address, ec.message()));
	tcp::endpoint ep(address, o.port);
	if (!impl_->acceptor)
		return Err("the HTTP server was stopped");
	auto& a = *impl_->acceptor;
	a.open(ep.protocol(), ec);
	if (!ec)
		a.set_option(asio::socket_base::reuse_address(true), ec);
	if (!ec)
		a.bind(ep, ec);
	if (!ec)
		a.listen(asio::socket_base::max_listen_connections, ec);
	if (ec)
		return Err(fmt::format("cannot listen on {}:{}: {}", o.address, o.port, ec.message()));
	impl_->accept();
	for (auto& io : impl_->ios) {
		impl_->work.push_back(asio::make_work_guard(*io));
		impl_->threads.emplace_back([ctx = io.get()] {
			pthread_setname_np(pthread_self(), "ss-http"); // for top -H, perf and gdb
			ctx->run();
		});
	}
	return Ok();
}

uint16_t HttpServer::port() const {
	if (!impl_->acceptor)
		return 0;
	beast::error_code ec;
	auto ep = impl_->acceptor->local_endpoint(ec);
	return ec ? 0 : ep.port();
}

bool HttpServer::tls() const {
	return impl_->shared->tls.has_value();
}

void HttpServer::stop() {
	if (!impl_ || impl_->stopped.exchange(true))
		return;
	Shared& s = *impl_->shared;
	s.stopping.store(true);
	// Streams first: from here on their writers post nothing to the contexts destroyed below, and
	// their connections close with the contexts.
	s.close_streams();
	asio::post(*impl_->ios[0], [this] {
		beast::error_code ignored;
		impl_->acceptor->close(ignored);
	});
	// Requests waiting for the writer get their answer while the IO threads still run, so that
	// no completion is ever posted to a destroyed io_context.
	auto waited = steady::now();
	while (!impl_->threads.empty() && s.in_commit.load() > 0) {
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
		if (steady::now() - waited > std::chrono::seconds(5)) {
			log::warn("http: still waiting for {} requests in the writer", s.in_commit.load());
			waited = steady::now();
		}
	}
	impl_->work.clear();
	for (auto& io : impl_->ios)
		io->stop();
	for (auto& t : impl_->threads)
		if (t.joinable())
			t.join();
	impl_->acceptor.reset();
	// The acceptor's context first: a pending accept holds a socket of another context.
	for (auto& io : impl_->ios)
		io.reset();
	impl_->ios.clear();
}

} // namespace serversan::ingest
