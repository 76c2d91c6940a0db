// IngestServer: the ingest role assembled (metrics, the writer thread, the protocol checks and
// the HTTP front), so main.cpp only builds Options from the config, starts it and stops it.
// Start order: keys preloaded, writer, listener. Stop order: the listener stops accepting and
// lets requests already waiting for the writer get their answer, then the writer commits what is
// still queued and stops.
#pragma once

#include <memory>

#include "serversan/core/clock.h"
#include "serversan/core/result.h"
#include "serversan/server/ingest/http_listener.h"
#include "serversan/server/ingest/ingest_config.h"
#include "serversan/server/ingest/ingest_service.h"
#include "serversan/server/ingest/metrics.h"
#include "serversan/server/ingest/writer.h"
#include "serversan/server/store/store.h"

namespace serversan::ingest {

class IngestServer {
public:
	IngestServer(store::Store& store, const Clock& clock, Options options);
	~IngestServer();
	IngestServer(const IngestServer&) = delete;
	IngestServer& operator=(const IngestServer&) = delete;

	Result<void> start();
	void stop(); // idempotent

	uint16_t port() const { return http_.port(); }
	bool tls() const { return http_.tls(); }
	const Options& options() const { return options_; }
	IngestMetrics& metrics() { return metrics_; }
	IngestService& service() { return service_; }
	Writer& writer() { return writer_; }

private:
	void register_gauges();

	Options options_;
	IngestMetrics metrics_;
	Writer writer_;
	IngestService service_;
	HttpServer http_;
	bool started_ = false;
};

} // namespace serversan::ingest
