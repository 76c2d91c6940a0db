// A small blocking HTTP/1.1 client for the agent's one kind of request (a POST to its server).
//
// One persistent connection, reused while the server keeps it alive (checked before each
// request: an idle connection the server has closed is replaced, not written into). Each
// phase (connect, send, receive) has its own timeout, and every wait also watches a cancel
// file descriptor (the stop pipe) so a stop request ends a hung exchange at once. Framing is
// Beast's serializer and parser; response bodies over the limit are an error, not truncated.
//
// Only http:// URLs are accepted, and only when the URL says so: https:// answers a clear
// error until TLS support is built in, and a URL without a scheme is refused rather than
// silently sent in clear text.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::agent {

struct Url {
	std::string host; // name or address; IPv6 without brackets
	uint16_t port = 80;
	std::string base_path; // "" or "/prefix" (no trailing '/'); request paths are appended

	std::string host_header() const; // "host", "host:8080", "[::1]:8080"
	std::string to_string() const;   // "http://host:8080/prefix"
};

// "http://host[:port][/path]"; no user info, query or fragment.
Result<Url> parse_url(std::string_view text);

struct HttpRequest {
	std::string method = "POST";
	std::string target;                                       // path and query, e.g. "/api/v1/reports"
	std::vector<std::pair<std::string, std::string>> headers; // Host and Content-Length are added
	std::string body;
};

struct HttpResponse {
	int status = 0;
	std::string retry_after; // header values, empty if absent
	std::string date;
	std::string server_time; // X-ServerSan-Time: the server's clock, unix milliseconds
	std::string body;
};

// What the sender needs from a client; tests substitute a scripted one.
class HttpTransport {
public:
	virtual ~HttpTransport() = default;
	virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
	// True if the last send() went over a connection that had carried an earlier request (such
	// a send may fail only because the server had just closed it, and is worth one retry).
	virtual bool last_send_reused_connection() const { return false; }
};

class HttpClient final : public HttpTransport {
public:
	struct Options {
		std::chrono::milliseconds timeout{10'000}; // per phase: connect, send, receive
		size_t max_response_body = 64 << 10;
		int cancel_fd = -1; // when readable, any wait ends with an error
		std::string user_agent;
	};

	HttpClient(Url url, Options options);
	~HttpClient() override;
	HttpClient(const HttpClient&) = delete;
	HttpClient& operator=(const HttpClient&) = delete;

	Result<HttpResponse> send(const HttpRequest& request) override;
	bool last_send_reused_connection() const override { return last_reused_; }
	void close();

	const Url& url() const { return url_; }

private:
	Result<void> ensure_connected();
	Result<void> connect();

	Url url_;
	Options options_;
	int fd_ = -1;
	bool used_ = false; // the current connection has carried a request
	bool last_reused_ = false;
};

} // namespace serversan::agent
