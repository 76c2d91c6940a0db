// IngestMetrics: the server's own numbers for GET /metrics, in the Prometheus text format 0.0.4.
// Every part of the ingest path (listener, checks, writer) counts into one instance with relaxed
// atomics, so counting costs a few nanoseconds and never takes a lock on the request path.
// Values other parts own (queue depth, table sizes, database size, the bot's queue) are read at
// scrape time through gauges registered with add_gauge().
//
// Latencies are measured with std::chrono::steady_clock: they are observations, not decisions,
// so they do not go through the injected Clock (which tests freeze).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace serversan::ingest {

// A cumulative histogram with fixed upper bounds, as Prometheus expects.
class Histogram {
public:
	explicit Histogram(std::vector<double> bounds);
	void observe(double value);
	uint64_t count() const { return count_.load(std::memory_order_relaxed); }
	double sum() const { return sum_.load(std::memory_order_relaxed); }
	// Appends the _bucket, _sum and _count lines of `name`.
	void render(std::string& out, std::string_view name) const;

private:
	std::vector<double> bounds_;
	std::unique_ptr<std::atomic<uint64_t>[]> buckets_; // not cumulative; summed when rendered
	std::atomic<uint64_t> count_{0};
	std::atomic<double> sum_{0};
};

// Counters the tests and older callers read directly (IngestService::counters()).
struct IngestCounters {
	std::atomic<uint64_t> requests_ok{0}, reports_accepted{0}, reports_duplicate{0}, reports_stale{0},
	    reports_out_of_range{0};
	std::atomic<uint64_t> rejected_unauthorized{0}, rejected_malformed{0}, rejected_too_large{0},
	    rejected_other{0}, store_errors{0};
};

// Every reason a request can be refused for: the `reason` label of
// serversan_ingest_rejected_total and IngestResponse::reason.
inline constexpr std::string_view kRejectReasons[] = {"not_found",
                                                      "method_not_allowed",
                                                      "unsupported_media_type",
                                                      "length_required",
                                                      "too_large",
                                                      "header_too_large",
                                                      "bad_request",
                                                      "malformed",
                                                      "malformed_authorization",
                                                      "unknown_server",
                                                      "bad_signature",
                                                      "stale_timestamp",
                                                      "signed_before_start",
                                                      "replayed_nonce",
                                                      "key_changed",
                                                      "rate_limited_ip",
                                                      "rate_limited_server",
                                                      "auth_blocked",
                                                      "replay_cache_full",
                                                      "queue_full",
                                                      "store_unavailable",
                                                      "shutting_down",
                                                      "other"};

class IngestMetrics {
public:
	IngestMetrics();

	IngestCounters counters;

	void count_rejection(std::string_view reason);
	uint64_t rejections(std::string_view reason) const;

	// Time from a report request's complete headers to its answer being ready.
	Histogram request_seconds;
	// The writer: one observation per transaction.
	Histogram commit_seconds;
	Histogram group_batches;
	Histogram group_reports;
	std::atomic<uint64_t> commits{0}, commit_errors{0};

	// Connections.
	std::atomic<int64_t> connections_open{0};
	std::atomic<uint64_t> connections_accepted{0}, refused_max_connections{0}, refused_max_per_ip{0};
	std::atomic<uint64_t> timeouts{0}, tls_handshake_failures{0};

	// Filled by the bot once it exists (its outgoing queue); 0 until then.
	std::atomic<int64_t> bot_queue_length{0};

	// A value read at scrape time. `name` is the full metric name; labels may follow it in
	// braces ("serversan_ingest_limit{name=\"burst_per_ip\"}"); one HELP/TYPE per base name.
	void add_gauge(std::string name, std::string help, std::function<double()> read);

	std::string render() const;

private:
	std::unique_ptr<std::atomic<uint64_t>[]> rejected_;
	struct Gauge {
		std::string name, help;
		std::function<double()> read;
	};
	mutable std::mutex gauges_mu_;
	std::vector<Gauge> gauges_;
	int64_t start_time_s_;
};

// Sum of the sizes of these files (missing ones count 0): the SQLite database plus its -wal.
uint64_t file_sizes(const std::vector<std::string>& paths);

} // namespace serversan::ingest
