// A small blocking HTTP/1.1 client for the agent's one kind of request (a POST to its server).
//
// One persistent connection, reused while the server keeps it alive (checked before each
// request: an idle connection the server has closed is replaced, not written into). Each
// phase (connect, TLS handshake, send, receive) has its own timeout, and every wait also
// watches a cancel file descriptor (the stop pipe) so a stop request ends a hung exchange at
// once. Framing is Beast's serializer and parser; response bodies over the limit are an error,
// not truncated.
//
// https:// goes over TlsStream (mbedTLS; trust and pinning are described in tls_stream.h);
// http:// is plain, and only when the URL says so: a URL without a scheme is refused rather
// than silently sent in clear text. Whether plain HTTP is allowed at all is the caller's policy
// (see is_loopback_host).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "serversan/agent/tls_stream.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct Url {
	std::string host; // name or address; IPv6 without brackets
	uint16_t port = 80;
	std::string base_path; // "" or "/prefix" (no trailing '/'); request paths are appended
	bool tls = false;      // https

	std::string host_header() const; // "host", "host:8080", "[::1]:8080" (default port left out)
	std::string to_string() const;   // "https://host:8443/prefix"
	bool operator==(const Url&) const = default;
};

// "http[s]://host[:port][/path]"; no user info, query or fragment.
Result<Url> parse_url(std::string_view text);

// "localhost", 127.0.0.0/8, ::1 (and 0.0.0.0, ::): where plain HTTP never leaves the machine.
bool is_loopback_host(std::string_view host);

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
		std::chrono::milliseconds timeout{10'000}; // per phase: connect, handshake, send, receive
		size_t max_response_body = 64 << 10;
		int cancel_fd = -1; // when readable, any wait ends with an error
		std::string user_agent;
		TlsSettings tls; // https only
	};

	// Builds the TLS context for https URLs (so a bad CA file or pin is an error here, at start).
	static Result<std::unique_ptr<HttpClient>> create(Url url, Options options);
	// Plain http, or https with a context made by the caller.
	HttpClient(Url url, Options options, std::unique_ptr<TlsContext> tls = nullptr);
	~HttpClient() override;
	HttpClient(const HttpClient&) = delete;
	HttpClient& operator=(const HttpClient&) = delete;

	Result<HttpResponse> send(const HttpRequest& request) override;
	bool last_send_reused_connection() const override { return last_reused_; }
	void close();

	const Url& url() const { return url_; }
	// Null for plain http.
	TlsContext* tls_context() const { return tls_context_.get(); }
	// TCP connections opened so far (tests: keep-alive).
	uint64_t connections_opened() const { return connections_opened_; }

private:
	using TimePoint = std::chrono::steady_clock::time_point;
	Result<void> ensure_connected();
	Result<void> connect();
	Result<void> connect_tcp(TimePoint deadline);
	Result<void> write_bytes(const char* data, size_t size, TimePoint deadline);
	Result<size_t> read_bytes(char* buf, size_t size, TimePoint deadline);

	Url url_;
	Options options_;
	std::unique_ptr<TlsContext> tls_context_;
	std::unique_ptr<TlsStream> tls_;
	int fd_ = -1;
	std::string out_;   // request bytes gathered for one write
	bool used_ = false; // the current connection has carried a request
	bool last_reused_ = false;
	uint64_t connections_opened_ = 0;
};

} // namespace serversan::agent
