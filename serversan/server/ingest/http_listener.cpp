// The only translation unit of the server that includes Boost.Asio/Beast (10-20 s to compile).
#include "serversan/server/ingest/http_listener.h"

#include <atomic>
#include <ctime>
#include <thread>
#include <utility> // must precede Asio with GCC 12 and Boost 1.74
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "serversan/core/log.h"

namespace serversan::ingest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string http_date(int64_t unix_s) {
	time_t t = static_cast<time_t>(unix_s);
	tm utc{};
	gmtime_r(&t, &utc);
	char buf[64];
	strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &utc);
	return buf;
}

struct Shared {
	IngestService& ingest;
	HttpOptions options;
	std::atomic<size_t> connections{0};
};

class Session : public std::enable_shared_from_this<Session> {
public:
	Session(tcp::socket socket, std::shared_ptr<Shared> shared)
	    : stream_(std::move(socket)), shared_(std::move(shared)) {}
	~Session() { shared_->connections.fetch_sub(1); }

	void run() {
		asio::dispatch(stream_.get_executor(),
		               beast::bind_front_handler(&Session::read_header, shared_from_this()));
	}

private:
	void read_header() {
		parser_.emplace();
		parser_->header_limit(static_cast<uint32_t>(shared_->options.max_header_bytes));
		parser_->body_limit(shared_->ingest.options().max_body_bytes);
		stream_.expires_after(std::chrono::seconds(first_ ? shared_->options.header_timeout_s
		                                                  : shared_->options.idle_timeout_s));
		http::async_read_header(stream_, buffer_, *parser_,
		                        beast::bind_front_handler(&Session::on_header, shared_from_this()));
	}

	void on_header(beast::error_code ec, size_t) {
		first_ = false;
		if (ec)
			return close(ec);
		auto& req = parser_->get();
		std::string_view target(req.target().data(), req.target().size());
		if (req.method() == http::verb::get && (target == "/healthz" || target == "/healthz/")) {
			if (parser_->content_length().value_or(0) != 0 || parser_->chunked())
				return respond_simple(400, "text/plain", "no body expected\n", false);
			return respond_simple(200, "text/plain", "ok\n", req.keep_alive());
		}
		std::optional<uint64_t> length;
		if (!parser_->chunked() && parser_->content_length())
			length = *parser_->content_length();
		auto sv = [](beast::string_view s) { return std::string_view(s.data(), s.size()); };
		auto early =
		    shared_->ingest.precheck(sv(req.method_string()), target, sv(req[http::field::content_type]),
		                             sv(req[http::field::content_encoding]), length);
		if (early)
			return respond(std::move(*early), false); // the body was not read: close
		stream_.expires_after(std::chrono::seconds(shared_->options.body_timeout_s));
		http::async_read(stream_, buffer_, *parser_,
		                 beast::bind_front_handler(&Session::on_body, shared_from_this()));
	}

	void on_body(beast::error_code ec, size_t) {
		if (ec == http::error::body_limit)
			return respond_simple(413, "application/json", R"({"error":"too_large"})", false);
		if (ec)
			return close(ec);
		auto& req = parser_->get();
		auto sv = [](beast::string_view s) { return std::string_view(s.data(), s.size()); };
		IngestRequest in;
		in.method = sv(req.method_string());
		in.target = sv(req.target());
		in.content_type = sv(req[http::field::content_type]);
		in.content_encoding = sv(req[http::field::content_encoding]);
		in.authorization = sv(req[http::field::authorization]);
		if (parser_->content_length())
			in.content_length = *parser_->content_length();
		in.body = req.body();
		IngestResponse out = shared_->ingest.handle(in);
		if (out.status != 200)
			log::info("ingest: {} {} from {}", out.status, out.reason, peer());
		respond(std::move(out), req.keep_alive());
	}

	std::string peer() const {
		beast::error_code ec;
		auto ep = stream_.socket().remote_endpoint(ec);
		return ec ? std::string("?") : ep.address().to_string();
	}

	void respond(IngestResponse out, bool keep_alive) {
		auto res =
		    std::make_shared<http::response<http::string_body>>(static_cast<http::status>(out.status), 11);
		res->set(http::field::content_type, "application/json");
		if (out.retry_after_s)
			res->set(http::field::retry_after, std::to_string(*out.retry_after_s));
		res->body() = std::move(out.body);
		send(res, keep_alive);
	}

	void respond_simple(int status, std::string_view type, std::string_view body, bool keep_alive) {
		auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
		res->set(http::field::content_type, beast::string_view(type.data(), type.size()));
		res->body() = std::string(body);
		send(res, keep_alive);
	}

	void send(std::shared_ptr<http::response<http::string_body>> res, bool keep_alive) {
		auto now = std::chrono::system_clock::now();
		int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
		res->set(http::field::server, "serversan");
		res->set(http::field::date, http_date(ms / 1000));
		res->set("X-ServerSan-Time", std::to_string(ms));
		res->keep_alive(keep_alive);
		res->prepare_payload();
		stream_.expires_after(std::chrono::seconds(shared_->options.body_timeout_s));
		http::async_write(stream_, *res,
		                  [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
			                  if (ec || !keep_alive)
				                  return self->close(ec);
			                  self->read_header();
		                  });
	}

	void close(beast::error_code) {
		beast::error_code ignored;
		stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
		stream_.close();
	}

	beast::tcp_stream stream_;
	beast::flat_buffer buffer_{16384};
	std::optional<http::request_parser<http::string_body>> parser_;
	std::shared_ptr<Shared> shared_;
	bool first_ = true;
};

} // namespace

struct HttpServer::Impl {
	Impl(IngestService& ingest, HttpOptions options)
	    : shared(std::make_shared<Shared>(ingest, std::move(options))), acceptor(io) {}

	void accept() {
		acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
			if (ec) {
				if (ec == asio::error::operation_aborted)
					return;
				log::warn("http: accept failed: {}", ec.message());
			} else if (shared->connections.load() >= shared->options.max_connections) {
				// Over the cap: refuse at once rather than queue work we cannot serve.
				beast::error_code ignored;
				socket.close(ignored);
			} else {
				shared->connections.fetch_add(1);
				std::make_shared<Session>(std::move(socket), shared)->run();
			}
			accept();
		});
	}

	std::shared_ptr<Shared> shared;
	asio::io_context io;
	tcp::acceptor acceptor;
	std::vector<std::thread> threads;
	std::atomic<bool> stopped{false};
};

HttpServer::HttpServer(IngestService& ingest, HttpOptions options)
    : impl_(std::make_unique<Impl>(ingest, std::move(options))) {}

HttpServer::~HttpServer() {
	stop();
}

Result<void> HttpServer::start() {
	const HttpOptions& o = impl_->shared->options;
	beast::error_code ec;
	auto address = asio::ip::make_address(o.address, ec);
	if (ec)
		return Err(fmt::format("bad listen address \"{}\": {}", o.address, ec.message()));
	tcp::endpoint ep(address, o.port);
	auto& a = impl_->acceptor;
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
	for (int i = 0; i < std::max(1, o.threads); ++i)
		impl_->threads.emplace_back([this] { impl_->io.run(); });
	return Ok();
}

uint16_t HttpServer::port() const {
	beast::error_code ec;
	auto ep = impl_->acceptor.local_endpoint(ec);
	return ec ? 0 : ep.port();
}

void HttpServer::stop() {
	if (!impl_ || impl_->stopped.exchange(true))
		return;
	impl_->io.stop();
	for (auto& t : impl_->threads)
		if (t.joinable())
			t.join();
}

} // namespace serversan::ingest
