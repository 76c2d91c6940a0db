// The only translation unit that includes Beast/Asio (they cost many seconds per TU to compile).
// Sockets are plain POSIX, non-blocking, with poll(2) for timeouts and cancellation; Beast is
// used only to serialize the request and parse the response.
#include "serversan/agent/http_client.h"

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

namespace serversan::agent {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

std::string lower(std::string_view s) {
	std::string out(s);
	for (char& c : out)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c + 32);
	return out;
}

enum class Wait { ready, timeout, cancelled, error };

// Waits until fd is ready for `events`, the deadline passes, or cancel_fd becomes readable.
Wait wait_fd(int fd, short events, Clock::time_point deadline, int cancel_fd) {
	for (;;) {
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
		if (left <= 0)
			return Wait::timeout;
		pollfd p[2] = {{fd, events, 0}, {cancel_fd, POLLIN, 0}};
		int r = ::poll(p, cancel_fd >= 0 ? 2 : 1, static_cast<int>(std::min<int64_t>(left + 1, 1 << 30)));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return Wait::error;
		}
		if (r == 0)
			continue;
		if (cancel_fd >= 0 && (p[1].revents & POLLIN))
			return Wait::cancelled;
		if (p[0].revents)
			return Wait::ready;
	}
}

std::string wait_error(Wait w, std::string_view what, const Url& url) {
	switch (w) {
	case Wait::timeout:
		return fmt::format("{}: timed out talking to {}", what, url.host_header());
	case Wait::cancelled:
		return fmt::format("{}: interrupted by a stop request", what);
	default:
		return fmt::format("{}: poll: {}", what, std::strerror(errno));
	}
}

} // namespace

std::string Url::host_header() const {
	bool v6 = host.find(':') != std::string::npos;
	std::string h = v6 ? "[" + host + "]" : host;
	if (port != 80)
		h += fmt::format(":{}", port);
	return h;
}

std::string Url::to_string() const {
	return fmt::format("http://{}{}", host_header(), base_path);
}

Result<Url> parse_url(std::string_view text) {
	text = trim(text);
	size_t sep = text.find("://");
	if (sep == std::string_view::npos)
		return Err(fmt::format("server URL \"{}\" has no scheme: write http://host:port/", text));
	std::string scheme = lower(text.substr(0, sep));
	if (scheme == "https")
		return Err("https:// needs TLS, which this build of serversan-agent does not include yet; use an "
		           "http:// URL on a network you trust until it does");
	if (scheme != "http")
		return Err(fmt::format("server URL scheme \"{}\" is not supported (use http://)", scheme));
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

HttpClient::HttpClient(Url url, Options options) : url_(std::move(url)), options_(std::move(options)) {}

HttpClient::~HttpClient() {
	close();
}

void HttpClient::close() {
	if (fd_ >= 0)
		::close(fd_);
	fd_ = -1;
	used_ = false;
}

Result<void> HttpClient::connect() {
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
	auto deadline = Clock::now() + options_.timeout;
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
					return Err(wait_error(w, "connect", url_));
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
		return Ok();
	}
	return Err(fmt::format("cannot connect to {} port {} ({})", url_.host, url_.port, last_error));
}

Result<void> HttpClient::ensure_connected() {
	if (fd_ >= 0) {
		// An idle keep-alive connection the server closed reads as EOF (or has stray bytes);
		// writing a request into it would fail or be lost, so replace it now.
		pollfd p{fd_, POLLIN, 0};
		if (::poll(&p, 1, 0) == 0)
			return Ok();
		close();
	}
	return connect();
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

	// Send.
	auto deadline = Clock::now() + options_.timeout;
	http::request_serializer<http::string_body> sr{req};
	std::string write_error;
	boost::beast::error_code ec;
	while (!sr.is_done() && write_error.empty()) {
		sr.next(ec, [&](boost::beast::error_code& vec, const auto& buffers) {
			vec = {};
			size_t total = 0;
			for (const auto b : boost::beast::buffers_range_ref(buffers)) {
				const char* p = static_cast<const char*>(b.data());
				size_t left = b.size();
				while (left > 0 && write_error.empty()) {
					ssize_t n = ::send(fd_, p, left, MSG_NOSIGNAL);
					if (n > 0) {
						p += n;
						left -= static_cast<size_t>(n);
						continue;
					}
					if (n < 0 && errno == EINTR)
						continue;
					if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
						Wait w = wait_fd(fd_, POLLOUT, deadline, options_.cancel_fd);
						if (w != Wait::ready)
							write_error = wait_error(w, "sending the request", url_);
						continue;
					}
					write_error = fmt::format("sending the request to {}: {}", url_.host_header(),
					                          std::strerror(errno));
				}
				total += b.size();
			}
			sr.consume(total);
		});
		if (ec)
			return fail(fmt::format("serializing the request: {}", ec.message()));
	}
	if (!write_error.empty())
		return fail(write_error);

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
		ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				Wait w = wait_fd(fd_, POLLIN, deadline, options_.cancel_fd);
				if (w != Wait::ready)
					return fail(wait_error(w, "waiting for the answer", url_));
				continue;
			}
			return fail(
			    fmt::format("receiving the answer from {}: {}", url_.host_header(), std::strerror(errno)));
		}
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
		pending.append(buf, static_cast<size_t>(n));
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
