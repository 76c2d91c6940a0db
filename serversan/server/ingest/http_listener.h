// HttpServer: the HTTP/1.1 front of the server (Boost.Beast, asynchronous, a small thread
// pool). It owns sockets, time-outs and the connection cap, and hands complete requests to the
// IngestService; no protocol logic lives here. Beast stays inside http_listener.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "serversan/core/result.h"
#include "serversan/server/ingest/ingest_service.h"

namespace serversan::ingest {

struct HttpOptions {
	std::string address = "127.0.0.1";
	uint16_t port = 8080; // 0 = pick a free port (tests)
	int threads = 2;
	int header_timeout_s = 10;
	int body_timeout_s = 30;
	int idle_timeout_s = 75;
	size_t max_connections = 10'000;
	size_t max_header_bytes = 8192;
};

class HttpServer {
public:
	HttpServer(IngestService& ingest, HttpOptions options);
	~HttpServer();
	HttpServer(const HttpServer&) = delete;
	HttpServer& operator=(const HttpServer&) = delete;

	// Binds and starts the worker threads; returns at once. The error names the address.
	Result<void> start();
	// The bound port (useful with port 0).
	uint16_t port() const;
	// Stops accepting, closes connections and joins the threads. Idempotent.
	void stop();

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

} // namespace serversan::ingest
