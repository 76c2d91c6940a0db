// IngestService: the protocol v1 report endpoint without the HTTP plumbing (http_listener.cpp
// feeds it). It runs the checks of docs/protocol.md section 4.1 in that order, cheapest first,
// and writes nothing on any failure path:
//   check_head (request line and headers, before the body is read):
//     2 method/path (404, 405), Content-Type/Encoding (415); 3 Content-Length (411, 413);
//     4 failed-authentication block, then per-address token bucket (429);
//     5 Authorization syntax and the server's key (503 if the store cannot answer; a malformed
//       header or an unknown server is answered 401 at step 7, after the body, like a bad MAC)
//   check_body (the body has been read, 6):
//     7 MAC in constant time, re-checked against a fresh key before a 401 (rotation);
//     8 timestamp window and process start (401); 9 per-server token bucket (429);
//     10 nonce (401; 503 when the replay cache is full); 11 gunzip with a cap (413);
//     12 strict decode and schema (400); then reports whose sample time is out of bounds
//     against the server's clock are left out and counted as out_of_range (report_time.h)
//   commit: 13 the writer stores the batch in a group transaction (sequence window inside it)
//     and only then is 200 answered: acknowledged means durable.
// Every 401 counts against the client address's failed-authentication budget. Thread-safe: the
// HTTP threads call it concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "serversan/core/clock.h"
#include "serversan/core/signing.h"
#include "serversan/server/ingest/auth_blocklist.h"
#include "serversan/server/ingest/key_cache.h"
#include "serversan/server/ingest/metrics.h"
#include "serversan/server/ingest/nonce_cache.h"
#include "serversan/server/ingest/rate_limiter.h"
#include "serversan/server/ingest/writer.h"
#include "serversan/server/store/store.h"

namespace serversan::ingest {

struct IngestOptions {
	int64_t timestamp_window_s = 300;
	size_t max_body_bytes = 1 << 20;
	size_t max_decoded_bytes = 8 << 20;
	size_t nonce_capacity = 8'000'000; // one timestamp window at 23k requests/s (nonce_cache.h)
	double interval_s = 0;             // > 0: suggest this reporting interval to agents in every answer
	// Abuse limits, reliability.md 2.2. A rate of 0 turns that bucket off.
	RateLimit per_ip{20, 40};
	RateLimit per_server{1, 10};
	size_t limiter_capacity = 100'000; // addresses (and servers) with a live bucket
	AuthBlockOptions auth_block;
	KeyCacheOptions key_cache;
	int retry_after_busy_s = 5; // Retry-After of 503s (store, queue, replay cache)
};

struct IngestRequest {
	std::string_view method;
	std::string_view target; // path and query as sent
	std::string_view content_type;
	std::string_view content_encoding;
	std::string_view authorization;
	std::optional<uint64_t> content_length;
	std::string_view body;
	std::string_view client_ip; // after trusted-proxy resolution; keys the per-address limits
};

struct IngestResponse {
	int status = 200;
	std::string body; // JSON
	std::optional<int> retry_after_s;
	std::string_view reason; // "accepted" or one of kRejectReasons: logs and metrics
};

// What check_head learned, for check_body.
struct HeadTicket {
	Authorization auth;
	ServerKey key;
	bool key_from_cache = false;
	// Non-empty: refused already (malformed Authorization, unknown server), answered 401 after
	// the body like a bad MAC, with this reason in the metrics. key is then a random decoy.
	std::string_view refuse;
};

// A request that passed every check, ready for the writer.
struct VerifiedBatch {
	store::IngestBatch batch; // batch.key_version: the key the MAC verified with
	std::string client_ip;
	uint64_t out_of_range = 0; // reports left out: sample time outside the bounds (report_time.h)
};

class IngestService {
public:
	// Without a writer, commits run synchronously in the caller (tests, tools); metrics: an
	// external instance (shared with the listener and the writer) or nullptr for an own one.
	IngestService(store::Store& store, const Clock& clock, IngestOptions options, Writer* writer = nullptr,
	              IngestMetrics* metrics = nullptr);

	// Steps 2-3 only: a value means "answer this and do not read the body".
	std::optional<IngestResponse> precheck(std::string_view method, std::string_view target,
	                                       std::string_view content_type, std::string_view content_encoding,
	                                       std::optional<uint64_t> content_length) const;

	// Steps 2-5 (request.body is ignored). A response means: answer it, do not read the body.
	std::variant<IngestResponse, HeadTicket> check_head(const IngestRequest& request);
	// Steps 7-12 on the complete request.
	std::variant<IngestResponse, VerifiedBatch> check_body(const IngestRequest& request,
	                                                       const HeadTicket& ticket);
	// Step 13. `done` runs exactly once: on the writer thread once the transaction returned, or
	// before commit() returns (no writer, queue full, shutting down).
	void commit(VerifiedBatch batch, std::function<void(IngestResponse)> done);

	// Every step, synchronously (waits for the writer if there is one). For tests and tools.
	IngestResponse handle(const IngestRequest& request);

	// Fills the key cache from the store (at start).
	Result<size_t> preload_keys();

	const IngestCounters& counters() const { return metrics_->counters; }
	IngestMetrics& metrics() { return *metrics_; }
	const IngestOptions& options() const { return options_; }
	const Clock& clock() const { return clock_; }
	int64_t started_s() const { return started_s_; }
	KeyCache& keys() { return keys_; }
	const NonceCache& nonces() const { return nonces_; }
	const AuthBlocklist& blocklist() const { return blocklist_; }
	const RateLimiter& ip_limiter() const { return ip_limiter_; }
	const RateLimiter& server_limiter() const { return server_limiter_; }

private:
	IngestResponse reply(int status, std::string_view reason, std::string_view detail = {});
	IngestResponse busy(std::string_view reason, std::string_view detail);
	IngestResponse unauthorized(std::string_view reason, std::string_view client_ip);
	IngestResponse accepted(const store::IngestOutcome& o, uint64_t out_of_range);
	IngestResponse finish(const VerifiedBatch& v, const WriteResult& result);

	store::Store& store_;
	const Clock& clock_;
	IngestOptions options_;
	Writer* writer_;
	std::unique_ptr<IngestMetrics> own_metrics_;
	IngestMetrics* metrics_;
	int64_t started_s_;
	NonceCache nonces_;
	KeyCache keys_;
	RateLimiter ip_limiter_;
	RateLimiter server_limiter_;
	AuthBlocklist blocklist_;
	RateLimiter out_of_range_log_; // one log line per server per minute
	WriterBackend direct_;         // used when there is no writer
	ServerKey decoy_key_;          // random: what a request for an unknown server is checked against
};

inline constexpr std::string_view kReportsPath = "/api/v1/reports";

} // namespace serversan::ingest
