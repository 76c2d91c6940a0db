// HttpServer: the HTTP/1.1 front of the server (Boost.Beast, asynchronous, a small thread
// pool), over TLS when a certificate and key are configured, plain otherwise. It owns sockets,
// time-outs, the connection caps and the client address (trusted proxies); every protocol
// decision is the IngestService's. Beast and Asio stay inside http_listener.cpp.
//
// Abuse limits enforced here (reliability.md 2.2): total and per-address connection caps,
// refused at accept (trusted proxies are exempt from the per-address cap: they carry many
// clients); the header block cap; a deadline for the TLS handshake plus the first request's
// headers, and for each later request's headers from its first byte (slowloris); an idle gap
// limit and a total deadline for the body (slow POST); a write deadline (slow read); a
// keep-alive idle limit. Requests that wait for the writer hold no thread: the answer comes
// back to the connection's IO thread (each thread runs its own io_context).
//
// Routes: POST /api/v1/reports; GET /healthz (503 while stopping); GET /metrics (Prometheus
// text) only for client addresses in metrics_allow, 404 for everyone else, so that the
// server's internals are not on the internet by default. GET/HEAD /install.sh and
// /download/serversan-agent-ARCH[.sha256] from downloads_dir (downloads.h), for the install
// one-liner. Anything in HttpOptions::routes (routes.h): the bot's webhook, the web dashboard and
// its API. The reports' path is the ingest's before any route, then /healthz, /metrics and the
// downloads; a HEAD with no route of its own runs the GET route and gets its head only.
//
// Streamed answers (RouteResponse::stream): chunked (HTTP/1.1) or ended by the close (1.0);
// writes from any thread are queued and posted to the connection's IO thread, which holds no
// thread while the stream is quiet; a client more than stream_queue_bytes behind is dropped;
// write_timeout applies to each write; a pending read notices the client leaving (the writer's
// write() then answers false); stop() closes every stream. Streams count against the caps.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "serversan/core/result.h"
#include "serversan/server/ingest/client_ip.h"
#include "serversan/server/ingest/ingest_service.h"
#include "serversan/server/ingest/routes.h"

namespace serversan::ingest {

struct HttpOptions {
	std::string address = "127.0.0.1";
	uint16_t port = 8080; // 0 = pick a free port (tests)
	int threads = 2;
	std::chrono::milliseconds header_timeout{10'000};    // TLS handshake + headers
	std::chrono::milliseconds body_idle_timeout{10'000}; // longest gap between body reads
	std::chrono::milliseconds body_timeout{30'000};      // whole body
	std::chrono::milliseconds idle_timeout{75'000};      // keep-alive, between requests
	std::chrono::milliseconds write_timeout{10'000};     // sending an answer (each write of a stream)
	size_t stream_queue_bytes = 1 << 20; // a streamed answer's client this far behind is dropped
	size_t max_connections = 10'000;
	size_t max_connections_per_ip = 64;
	size_t max_header_bytes = 8192;
	// Both set: HTTPS only. PEM files: the certificate chain (leaf first) and its private key.
	std::string tls_cert;
	std::string tls_key;
	CidrList trusted_proxies;                      // empty: forwarded headers are ignored
	CidrList metrics_allow = CidrList::loopback(); // empty: /metrics is off
	std::string downloads_dir;                     // install.sh and agent builds (downloads.h); empty: none
	std::shared_ptr<const Routes> routes;          // more endpoints (routes.h): the bot's webhook
};

class HttpServer {
public:
	// Counts into ingest.metrics().
	HttpServer(IngestService& ingest, HttpOptions options);
	~HttpServer();
	HttpServer(const HttpServer&) = delete;
	HttpServer& operator=(const HttpServer&) = delete;

	// Loads the TLS certificate if any, binds and starts the worker threads; returns at once.
	// The error names the address or the file.
	Result<void> start();
	// The bound port (useful with port 0).
	uint16_t port() const;
	bool tls() const;
	// Stops accepting, lets requests that wait for the writer get their answer, then closes
	// every connection and joins the threads. Idempotent.
	void stop();

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

} // namespace serversan::ingest
