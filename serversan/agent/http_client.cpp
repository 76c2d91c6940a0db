// The only translation unit that includes Beast/Asio (they cost many seconds per TU to compile).
// Sockets are plain POSIX, non-blocking, with poll(2) for timeouts and cancellation; TLS is
// tls_stream.cpp; Beast is used only to serialize the request and parse the response.
#include "serversan/agent/http_client.h"

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/format.h>

#include "serversan/agent/collectors/text.h"
#include "serversan/agent/socket_wait.h"

namespace serversan::agent {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

// Writes are gathered up to a TLS record's worth.
constexpr size_t kWriteChunk = 16 << 10;

namespace {

std::string lower(std::string_view s) {
	std::string out(s);
	for (char& c : out)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c + 32);
	return out;
}

} // namespace

std::string Url::host_header() const {
	bool v6 = host.find(':') != std::string::npos;
	std::string h = v6 ? "[" + host + "]" : host;
	if (port != (tls ? 443 : 80))
		h += fmt::format(":{}", port);
	return h;
}

std::string Url::to_string() const {
	return fmt::format("{}://{}{}", tls ? "https" : "http", host_header(), base_path);
}

bool is_loopback_host(std::string_view host) {
	if (lower(host) == "localhost")
		return true;
	std::string h(host);
	// The unspecified addresses connect to this host too (a server listening on 0.0.0.0).
	in_addr v4{};
	if (::inet_pton(AF_INET, h.c_str(), &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127 || v4.s_addr == 0;
	in6_addr v6{};
	return ::inet_pton(AF_INET6, h.c_str(), &v6) == 1 &&
	       (IN6_IS_ADDR_LOOPBACK(&v6) || IN6_IS_ADDR_UNSPECIFIED(&v6));
}

Result<Url> parse_url(std::string_view text) {
	text = trim(text);
	size_t sep = text.find("://");
	if (sep == std::string_view::npos)
		return Err(fmt::format("server URL \"{}\" has no scheme: write http://host:port/", text));
	std::string scheme = lower(text.substr(0, sep));
	if (scheme != "http" && scheme != "https")
		return Err(
		    fmt::format("server URL scheme \"{}\" is not supported (use https:// or http://)", scheme));
	std::string_view rest = text.substr(sep + 3);
	size_t slash = rest.find('/');
	std::string_view authority = rest.substr(0, slash);
	std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
	if (authority.find('@') != std::string_view::npos)
		return Err("server URL must not contain user info (user@host)");
	if (path.find_first_of("?#") != std::string_view::npos)
		return Err("server URL must not contain a query or fragment");
	for (char c : path)
		if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
			return Err("server URL path contains spaces or control characters");

	Url url;
	url.tls = scheme == "https";
	url.port = url.tls ? 443 : 80;
	std::string_view port_text;
	if (authority.starts_with('[')) {
		size_t close = authority.find(']');
		if (close == std::string_view::npos)
			return Err("server URL has an unterminated [IPv6 address]");
		url.host = authority.substr(1, close - 1);
		std::string_view after = authority.substr(close + 1);
		if (!after.empty()) {
			if (after.front() != ':')
				return Err("server URL: unexpected text after the [IPv6 address]");
			port_text = after.substr(1);
			if (port_text.empty())
				return Err("server URL has an empty port");
		}
	} else {
		size_t colon = authority.find(':');
		url.host = authority.substr(0, colon);
		if (colon != std::string_view::npos) {
			port_text = authority.substr(colon + 1);
			if (port_text.empty())
				return Err("server URL has an empty port");
		}
	}
	if (url.host.empty())
		return Err("server URL has no host");
	for (char c : url.host)
		if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':' ||
		      c == '%'))
			return Err(fmt::format("server URL host \"{}\" has invalid characters", url.host));
	if (!port_text.empty()) {
		auto port = to_u64(port_text);
		if (!port || *port == 0 || *port > 65535)
			return Err(fmt::format("server URL port \"{}\" is not a number in 1..65535", port_text));
		url.port = static_cast<uint16_t>(*port);
	}
	url.base_path = path;
	while (!url.base_path.empty() && url.base_path.back() == '/')
		url.base_path.pop_back();
	return url;
}

Result<std::unique_ptr<HttpClient>> HttpClient::create(Url url, Options options) {
	std::unique_ptr<TlsContext> tls;
	if (url.tls) {
		auto made = TlsContext::create(options.tls);
		if (!made)
			return made.error();
		tls = std::move(*made);
	}
	return std::make_unique<HttpClient>(std::move(url), std::move(options), std::move(tls));
}

HttpClient::HttpClient(Url url, Options options, std::unique_ptr<TlsContext> tls)
    : url_(std::move(url)), options_(std::move(options)), tls_context_(std::move(tls)) {}

HttpClient::~HttpClient() {
	close();
}

void HttpClient::close() {
	if (tls_) {
		tls_->close_notify();
		tls_.reset();
	}
	if (fd_ >= 0)
		::close(fd_);
	fd_ = -1;
	used_ = false;
}

Result<void> HttpClient::connect_tcp(TimePoint deadline) {
	close();
	addrinfo hints{};
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	addrinfo* list = nullptr;
	std::string port = std::to_string(url_.port);
	// getaddrinfo has no timeout of its own; the resolver's (resolv.conf) applies.
	int rc = ::getaddrinfo(url_.host.c_str(), port.c_str(), &hints, &list);
	if (rc != 0)
		return Err(fmt::format("cannot resolve {}: {}", url_.host,
		                       rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc)));
	std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(list, ::freeaddrinfo);

	std::string last_error = "no addresses";
	for (addrinfo* ai = list; ai; ai = ai->ai_next) {
		char addr[NI_MAXHOST] = "?";
		::getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof addr, nullptr, 0, NI_NUMERICHOST);
		int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			last_error = fmt::format("{}: socket: {}", addr, std::strerror(errno));
			continue;
		}
		int r = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
		if (r != 0 && errno != EINPROGRESS) {
			last_error = fmt::format("{}: {}", addr, std::strerror(errno));
			::close(fd);
			continue;
		}
		if (r != 0) {
			Wait w = wait_fd(fd, POLLOUT, deadline, options_.cancel_fd);
			if (w != Wait::ready) {
				::close(fd);
				if (w == Wait::cancelled)
					return Err(wait_error(w, "connect", url_.host_header()));
				last_error = fmt::format("{}: {}", addr, w == Wait::timeout ? "timed out" : "poll failed");
				continue;
			}
			int err = 0;
			socklen_t len = sizeof err;
			if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
				last_error = fmt::format("{}: {}", addr, std::strerror(err ? err : errno));
				::close(fd);
				continue;
			}
		}
		int one = 1;
		::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		fd_ = fd;
		used_ = false;
		++connections_opened_;
		return Ok();
	}
	return Err(fmt::format("cannot connect to {} port {} ({})", url_.host, url_.port, last_error));
}

Result<void> HttpClient::connect() {
	if (url_.tls && !tls_context_)
		return Err("https:// URL without a TLS context (use HttpClient::create)");
	auto deadline = Clock::now() + options_.timeout;
	if (auto c = connect_tcp(deadline); !c)
		return c;
	if (!url_.tls)
		return Ok();
	tls_ = std::make_unique<TlsStream>(*tls_context_);
	deadline = Clock::now() + options_.timeout;
	auto shaken = tls_->handshake(fd_, url_.host, url_.host_header(), deadline, options_.cancel_fd);
	if (!shaken)
		close();
	return shaken;
}

Result<void> HttpClient::ensure_connected() {
	if (fd_ >= 0) {
		// An idle keep-alive connection the server closed reads as EOF (or has stray bytes);
		// writing a request into it would fail or be lost, so replace it now. Over TLS the bytes
		// may also be a session ticket, which leaves the connection usable.
		pollfd p{fd_, POLLIN, 0};
		if (::poll(&p, 1, 0) == 0)
			return Ok();
		if (tls_ && !(p.revents & (POLLERR | POLLHUP)) && tls_->still_open())
			return Ok();
		close();
	}
	return connect();
}

Result<void> HttpClient::write_bytes(const char* data, size_t size, TimePoint deadline) {
	if (tls_)
		return tls_->write_all(data, size, deadline, options_.cancel_fd);
	while (size > 0) {
		ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
		if (n > 0) {
			data += n;
			size -= static_cast<size_t>(n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			Wait w = wait_fd(fd_, POLLOUT, deadline, options_.cancel_fd);
			if (w != Wait::ready)
				return Err(wait_error(w, "sending the request", url_.host_header()));
			continue;
		}
		return Err(fmt::format("sending the request to {}: {}", url_.host_header(), std::strerror(errno)));
	}
	return Ok();
}

Result<size_t> HttpClient::read_bytes(char* buf, size_t size, TimePoint deadline) {
	if (tls_)
		return tls_->read_some(buf, size, deadline, options_.cancel_fd);
	for (;;) {
		ssize_t n = ::recv(fd_, buf, size, 0);
		if (n >= 0)
			return static_cast<size_t>(n);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			Wait w = wait_fd(fd_, POLLIN, deadline, options_.cancel_fd);
			if (w != Wait::ready)
				return Err(wait_error(w, "waiting for the answer", url_.host_header()));
			continue;
		}
		return Err(fmt::format("receiving the answer from {}: {}", url_.host_header(), std::strerror(errno)));
	}
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
	last_reused_ = false;
	if (auto c = ensure_connected(); !c)
		return c.error();
	last_reused_ = used_;
	used_ = true;

	http::request<http::string_body> req;
	http::verb verb = http::string_to_verb(request.method);
	if (verb == http::verb::unknown)
		req.method_string(request.method);
	else
		req.method(verb);
	req.target(request.target);
	req.version(11);
	req.set(http::field::host, url_.host_header());
	if (!options_.user_agent.empty())
		req.set(http::field::user_agent, options_.user_agent);
	for (const auto& [name, value] : request.headers)
		req.set(name, value);
	req.body() = request.body;
	req.keep_alive(true);
	req.prepare_payload();

	auto fail = [this](std::string message) -> Result<HttpResponse> {
		close();
		return Err(std::move(message));
	};

	// Send. Beast hands out the header in many small pieces; they are gathered so that a
	// request goes out as one write (one TLS record) instead of a dozen.
	auto deadline = Clock::now() + options_.timeout;
	http::request_serializer<http::string_body> sr{req};
	Result<void> written = Ok();
	boost::beast::error_code ec;
	out_.clear();
	auto flush_out = [&] {
		if (written && !out_.empty())
			written = write_bytes(out_.data(), out_.size(), deadline);
		out_.clear();
	};
	while (!sr.is_done() && written) {
		sr.next(ec, [&](boost::beast::error_code& vec, const auto& buffers) {
			vec = {};
			size_t total = 0;
			for (const auto b : boost::beast::buffers_range_ref(buffers)) {
				out_.append(static_cast<const char*>(b.data()), b.size());
				total += b.size();
				if (out_.size() >= kWriteChunk)
					flush_out();
			}
			sr.consume(total);
		});
		if (ec)
			return fail(fmt::format("serializing the request: {}", ec.message()));
	}
	flush_out();
	if (out_.capacity() > 4 * kWriteChunk)
		std::string().swap(out_); // a catch-up batch: do not keep a megabyte around
	if (!written)
		return fail(written.error().message);

	// Receive.
	deadline = Clock::now() + options_.timeout;
	http::response_parser<http::string_body> parser;
	parser.header_limit(16 << 10);
	parser.body_limit(options_.max_response_body);
	// Not eager: Beast 1.74's eager mode drops the body_limit error found at the end of the
	// header and reads the oversized body anyway. One put() per element, looped below, instead.
	std::string pending;
	bool got_any = false;
	char buf[8192];
	while (!parser.is_done()) {
		auto got = read_bytes(buf, sizeof buf, deadline);
		if (!got)
			return fail(got.error().message);
		size_t n = *got;
		if (n == 0) {
			if (!got_any)
				return fail(fmt::format("{} closed the connection without answering", url_.host_header()));
			parser.put_eof(ec);
			if (ec)
				return fail(fmt::format("{} closed the connection mid-answer ({})", url_.host_header(),
				                        ec.message()));
			break;
		}
		got_any = true;
		pending.append(buf, n);
		while (!pending.empty() && !parser.is_done()) {
			size_t used = parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
			pending.erase(0, used);
			if (ec == http::error::need_more) {
				ec = {};
				break;
			}
			if (ec == http::error::body_limit)
				return fail(fmt::format("answer from {} is larger than {} bytes", url_.host_header(),
				                        options_.max_response_body));
			if (ec)
				return fail(
				    fmt::format("malformed HTTP answer from {}: {}", url_.host_header(), ec.message()));
			if (used == 0)
				break;
		}
	}

	const auto& res = parser.get();
	HttpResponse out;
	out.status = static_cast<int>(res.result_int());
	if (auto it = res.find(http::field::retry_after); it != res.end())
		out.retry_after = std::string(it->value());
	if (auto it = res.find(http::field::date); it != res.end())
		out.date = std::string(it->value());
	if (auto it = res.find("X-ServerSan-Time"); it != res.end())
		out.server_time = std::string(it->value());
	out.body = res.body();
	// Leftover bytes would be a pipelined answer we never asked for: the stream is out of step.
	if (!parser.keep_alive() || !pending.empty())
		close();
	return out;
}

} // namespace serversan::agent
