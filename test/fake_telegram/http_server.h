// The fake's HTTP/1.1 front: a loopback listener with one thread per connection and keep-alive,
// handing each request to a handler; plain HTTP, or HTTPS when given a certificate and key (PEM
// files), so that tests can check the client's TLS verification. The only file of the fake that
// includes Boost.Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace serversan::fake_telegram {

struct HttpRequest {
	std::string method; // GET, POST, ...
	std::string target; // path and query
	std::string content_type;
	std::string body;
	std::map<std::string, std::string> headers; // names in lower case
};

struct HttpAnswer {
	int status = 200;
	std::string content_type = "application/json";
	std::string body;
	bool drop = false; // close the connection without answering
};

class HttpServer {
public:
	using Handler = std::function<HttpAnswer(const HttpRequest&)>;
	struct Tls {
		std::string cert_file, key_file; // both empty: plain HTTP
	};
	// Listens on 127.0.0.1:port (0 = any free port); throws when it cannot.
	HttpServer(uint16_t port, Handler handler, Tls tls = {});
	~HttpServer(); // stops accepting, closes every connection, waits for their threads
	uint16_t port() const;
	size_t connections_accepted() const;

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

// POSTs a JSON body to an http:// URL with extra headers; the HTTP status, or -1 and *error.
int post_json(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
              std::chrono::milliseconds timeout, std::string* error);

} // namespace serversan::fake_telegram
