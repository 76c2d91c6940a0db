// Routes: the endpoints the HTTP listener serves besides the reports, health, metrics and
// downloads: the bot's webhook, the web dashboard's pages, its JSON API and its live updates. A
// route is a method and either an exact path or a path prefix (exact routes win, then the longest
// prefix); its handler runs on an IO thread with the whole body read, so it must answer at once
// and hand any real work to another thread. Only the request headers some route names are kept,
// so the report path pays one name comparison per unusual header and nothing more.
//
// A long-lived answer (server-sent events) sets RouteResponse::stream: the listener writes the
// status and headers, then hands the stream a StreamWriter, through which any thread may send
// chunks until either side closes. Such a connection is not kept alive for another request.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace serversan::ingest {

struct RouteRequest {
	std::string_view method, path, client_ip, body;
	const std::vector<std::pair<std::string, std::string>>* headers = nullptr; // those routes asked for
	std::string_view query; // after '?' in the target, undecoded; empty if none
	bool tls = false;       // the connection is HTTPS (cookies get Secure)
	// The first value of header `name` (case-insensitive); empty if absent.
	std::string_view header(std::string_view name) const;
};

// The writing end of a streamed answer; thread-safe. write() queues one chunk (sent as it is:
// the listener adds no framing beyond HTTP's chunked encoding) and returns false once the
// connection is gone, after which the stream should drop the writer. close() ends the answer.
class StreamWriter {
public:
	virtual ~StreamWriter() = default;
	virtual bool write(std::string chunk) = 0;
	virtual void close() = 0;
	virtual bool open() const = 0;
};

class ResponseStream {
public:
	virtual ~ResponseStream() = default;
	// Called once, on the connection's IO thread, after the head has been written.
	virtual void start(std::shared_ptr<StreamWriter> writer) = 0;
};

struct RouteResponse {
	int status = 200;
	std::string content_type = "application/json";
	std::string body;
	// More response headers (Set-Cookie, Cache-Control, Content-Encoding, Location, ...).
	std::vector<std::pair<std::string, std::string>> headers;
	// Set: a streamed answer (body is sent first if not empty, then what the stream writes).
	std::shared_ptr<ResponseStream> stream;
};

using RouteHandler = std::function<RouteResponse(const RouteRequest&)>;

struct Route {
	std::string method, path;
	RouteHandler handler;
	bool prefix = false; // path is a prefix ("/api/v1/"): matches every path that starts with it
};

class Routes {
public:
	// `headers`: the request headers the handler reads.
	void add(std::string method, std::string path, RouteHandler handler,
	         std::vector<std::string> headers = {});
	// A prefix route: every path starting with `prefix` (exact routes win, then the longest prefix).
	void add_prefix(std::string method, std::string prefix, RouteHandler handler,
	                std::vector<std::string> headers = {});
	const Route* find(std::string_view method, std::string_view path) const;
	const std::vector<std::string>& headers() const { return headers_; }
	bool empty() const { return routes_.empty(); }

private:
	void add_headers(std::vector<std::string> headers);

	std::vector<Route> routes_;
	std::vector<std::string> headers_;
};

bool iequals_ascii(std::string_view a, std::string_view b);

} // namespace serversan::ingest
