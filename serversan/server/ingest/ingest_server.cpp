#include "serversan/server/ingest/ingest_server.h"

#include "serversan/core/log.h"

namespace serversan::ingest {

IngestServer::IngestServer(store::Store& store, const Clock& clock, Options options)
    : options_(std::move(options)),
      writer_(store_backend(store, options_.after_commit), options_.writer, metrics_),
      service_(store, clock, options_.service, &writer_, &metrics_), http_(service_, options_.http) {
	register_gauges();
}

IngestServer::~IngestServer() {
	stop();
}

void IngestServer::register_gauges() {
	IngestMetrics& m = metrics_;
	m.add_gauge("serversan_ingest_writer_queue_reports", "Reports waiting for the writer.",
	            [this] { return static_cast<double>(writer_.queued_reports()); });
	m.add_gauge("serversan_ingest_writer_queue_batches", "Requests waiting for the writer.",
	            [this] { return static_cast<double>(writer_.queued_batches()); });
	m.add_gauge("serversan_ingest_nonce_cache_entries", "Nonces remembered against replays.",
	            [this] { return static_cast<double>(service_.nonces().size()); });
	m.add_gauge("serversan_ingest_nonce_cache_bytes", "Memory of the replay cache's tables.",
	            [this] { return static_cast<double>(service_.nonces().memory_bytes()); });
	m.add_gauge("serversan_ingest_key_cache_entries", "Signing keys held in memory.",
	            [this] { return static_cast<double>(service_.keys().size()); });
	m.add_gauge("serversan_ingest_limiter_entries{limiter=\"ip\"}", "Live token buckets.",
	            [this] { return static_cast<double>(service_.ip_limiter().size()); });
	m.add_gauge("serversan_ingest_limiter_entries{limiter=\"server\"}", "Live token buckets.",
	            [this] { return static_cast<double>(service_.server_limiter().size()); });
	m.add_gauge("serversan_ingest_blocked_addresses", "Addresses blocked for failed authentications now.",
	            [this] { return static_cast<double>(service_.blocklist().blocked_count()); });
	m.add_gauge("serversan_ingest_auth_failure_entries", "Addresses tracked for failed authentications.",
	            [this] { return static_cast<double>(service_.blocklist().size()); });
	if (!options_.store_files.empty())
		m.add_gauge("serversan_store_size_bytes", "Database size on disk (with its write-ahead log).",
		            [files = options_.store_files] { return static_cast<double>(file_sizes(files)); });

	// The limits in force, so a dashboard can relate the counters to them.
	const IngestOptions& s = options_.service;
	const HttpOptions& h = options_.http;
	auto limit = [&](std::string_view name, double value) {
		m.add_gauge(fmt::format("serversan_ingest_limit{{name=\"{}\"}}", name), "Configured limits.",
		            [value] { return value; });
	};
	limit("max_body_bytes", static_cast<double>(s.max_body_bytes));
	limit("max_decoded_bytes", static_cast<double>(s.max_decoded_bytes));
	limit("max_header_bytes", static_cast<double>(h.max_header_bytes));
	limit("max_connections", static_cast<double>(h.max_connections));
	limit("max_connections_per_ip", static_cast<double>(h.max_connections_per_ip));
	limit("header_timeout_seconds", std::chrono::duration<double>(h.header_timeout).count());
	limit("body_idle_timeout_seconds", std::chrono::duration<double>(h.body_idle_timeout).count());
	limit("body_timeout_seconds", std::chrono::duration<double>(h.body_timeout).count());
	limit("keepalive_timeout_seconds", std::chrono::duration<double>(h.idle_timeout).count());
	limit("rate_per_ip", s.per_ip.per_second);
	limit("burst_per_ip", s.per_ip.burst);
	limit("rate_per_server", s.per_server.per_second);
	limit("burst_per_server", s.per_server.burst);
	limit("auth_fail_limit", s.auth_block.max_failures);
	limit("nonce_cache_entries", static_cast<double>(s.nonce_capacity));
	limit("writer_queue_reports", static_cast<double>(options_.writer.max_queue_reports));
	limit("writer_group_reports", static_cast<double>(options_.writer.max_group_reports));
}

Result<void> IngestServer::start() {
	if (started_)
		return Ok();
	if (options_.preload_keys) {
		auto n = service_.preload_keys();
		if (n.ok())
			log::info("ingest: {} signing keys cached", *n);
		else // not fatal: every key can still be read on its first use
			log::warn("ingest: could not preload signing keys: {}", n.error().message);
	}
	writer_.start();
	if (auto r = http_.start(); !r.ok()) {
		writer_.stop();
		return r;
	}
	started_ = true;
	return Ok();
}

void IngestServer::stop() {
	http_.stop();
	writer_.stop();
}

} // namespace serversan::ingest
