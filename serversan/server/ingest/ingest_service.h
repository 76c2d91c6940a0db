// IngestService: the protocol v1 report endpoint without the HTTP plumbing (http_listener.cpp
// feeds it). It runs the checks of docs/protocol.md in order, cheapest first, and writes
// nothing on any failure path:
//   method/path -> content type/encoding -> length -> authorization header -> server key ->
//   MAC -> timestamp window (and not signed before this process started) -> nonce ->
//   gunzip (bounded) -> strict decode -> store (sequence window, one transaction) -> 200.
// A 200 is returned only after the store committed: acknowledged means durable.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/nonce_cache.h"
#include "serversan/server/store/store.h"

namespace serversan::ingest {

struct IngestOptions {
	int64_t timestamp_window_s = 300;
	size_t max_body_bytes = 1 << 20;
	size_t max_decoded_bytes = 8 << 20;
	size_t nonce_capacity = 2'000'000;
	double interval_s = 0; // > 0: suggest this reporting interval to agents in every answer
};

struct IngestRequest {
	std::string_view method;
	std::string_view target; // path and query as sent
	std::string_view content_type;
	std::string_view content_encoding;
	std::string_view authorization;
	std::optional<uint64_t> content_length;
	std::string_view body;
};

struct IngestResponse {
	int status = 200;
	std::string body; // JSON
	std::optional<int> retry_after_s;
	std::string_view reason; // short machine name for logs and metrics ("accepted", "bad_signature"...)
};

// Counters for /metrics; one per outcome.
struct IngestCounters {
	std::atomic<uint64_t> requests_ok{0}, reports_accepted{0}, reports_duplicate{0}, reports_stale{0};
	std::atomic<uint64_t> rejected_unauthorized{0}, rejected_malformed{0}, rejected_too_large{0},
	    rejected_other{0}, store_errors{0};
};

class IngestService {
public:
	IngestService(store::Store& store, const Clock& clock, IngestOptions options);

	// Checks that need only the request line and headers; a value means "answer this and do not
	// read the body" (404, 405, 411, 413, 415).
	std::optional<IngestResponse> precheck(std::string_view method, std::string_view target,
	                                       std::string_view content_type, std::string_view content_encoding,
	                                       std::optional<uint64_t> content_length) const;

	IngestResponse handle(const IngestRequest& request);

	const IngestCounters& counters() const { return counters_; }
	const IngestOptions& options() const { return options_; }
	int64_t started_s() const { return started_s_; }

private:
	IngestResponse reply(int status, std::string_view reason, std::string_view detail = {});
	IngestResponse unauthorized(std::string_view reason);

	store::Store& store_;
	const Clock& clock_;
	IngestOptions options_;
	int64_t started_s_;
	NonceCache nonces_;
	IngestCounters counters_;
};

inline constexpr std::string_view kReportsPath = "/api/v1/reports";

} // namespace serversan::ingest
