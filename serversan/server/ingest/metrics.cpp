#include "serversan/server/ingest/metrics.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>

#include <fmt/format.h>

namespace serversan::ingest {

namespace {

constexpr size_t kReasonCount = std::size(kRejectReasons);

size_t reason_index(std::string_view reason) {
	for (size_t i = 0; i < kReasonCount; ++i)
		if (kRejectReasons[i] == reason)
			return i;
	return kReasonCount - 1; // "other"
}

// Prometheus wants "+Inf", integral values without exponent noise, and full precision otherwise.
std::string number(double v) {
	if (v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 1e15)
		return fmt::format("{}", static_cast<int64_t>(v));
	return fmt::format("{}", v);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
	out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

} // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
	for (size_t i = 0; i <= bounds_.size(); ++i)
		buckets_[i].store(0);
}

void Histogram::observe(double value) {
	size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
	buckets_[i].fetch_add(1, std::memory_order_relaxed);
	count_.fetch_add(1, std::memory_order_relaxed);
	sum_.fetch_add(value, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, std::string_view name) const {
	uint64_t cumulative = 0;
	for (size_t i = 0; i < bounds_.size(); ++i) {
		cumulative += buckets_[i].load(std::memory_order_relaxed);
		out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, number(bounds_[i]), cumulative);
	}
	cumulative += buckets_[bounds_.size()].load(std::memory_order_relaxed);
	out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, cumulative);
	out += fmt::format("{}_sum {}\n{}_count {}\n", name, number(sum()), name, cumulative);
}

IngestMetrics::IngestMetrics()
    : request_seconds({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}),
      commit_seconds({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}),
      group_batches({1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}),
      group_reports({1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}),
      rejected_(new std::atomic<uint64_t>[kReasonCount]),
      start_time_s_(std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count()) {
	for (size_t i = 0; i < kReasonCount; ++i)
		rejected_[i].store(0);
}

void IngestMetrics::count_rejection(std::string_view reason) {
	rejected_[reason_index(reason)].fetch_add(1, std::memory_order_relaxed);
}

uint64_t IngestMetrics::rejections(std::string_view reason) const {
	return rejected_[reason_index(reason)].load(std::memory_order_relaxed);
}

void IngestMetrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
	std::lock_guard lock(gauges_mu_);
	gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string IngestMetrics::render() const {
	auto load = [](const auto& a) { return a.load(std::memory_order_relaxed); };
	std::string out;
	out.reserve(8192);

	header(out, "serversan_ingest_requests_total", "counter", "Report requests answered 200 (stored).");
	out += fmt::format("serversan_ingest_requests_total {}\n", load(counters.requests_ok));
	header(out, "serversan_ingest_rejected_total", "counter",
	       "Requests refused, by reason (nothing was stored for any of them).");
	for (size_t i = 0; i < kReasonCount; ++i)
		out += fmt::format("serversan_ingest_rejected_total{{reason=\"{}\"}} {}\n", kRejectReasons[i],
		                   load(rejected_[i]));
	header(out, "serversan_ingest_reports_total", "counter",
	       "Reports in accepted requests: stored, duplicates of stored ones, below the sequence window, "
	       "sample time out of bounds (skipped).");
	out += fmt::format("serversan_ingest_reports_total{{outcome=\"accepted\"}} {}\n",
	                   load(counters.reports_accepted));
	out += fmt::format("serversan_ingest_reports_total{{outcome=\"duplicate\"}} {}\n",
	                   load(counters.reports_duplicate));
	out +=
	    fmt::format("serversan_ingest_reports_total{{outcome=\"stale\"}} {}\n", load(counters.reports_stale));
	out += fmt::format("serversan_ingest_reports_total{{outcome=\"out_of_range\"}} {}\n",
	                   load(counters.reports_out_of_range));
	header(out, "serversan_ingest_request_duration_seconds", "histogram",
	       "Report requests: complete headers to answer ready (includes the wait for the commit).");
	request_seconds.render(out, "serversan_ingest_request_duration_seconds");

	header(out, "serversan_ingest_writer_commit_duration_seconds", "histogram",
	       "Writer transactions (group commits), including the fsync.");
	commit_seconds.render(out, "serversan_ingest_writer_commit_duration_seconds");
	header(out, "serversan_ingest_writer_group_batches", "histogram", "Requests per transaction.");
	group_batches.render(out, "serversan_ingest_writer_group_batches");
	header(out, "serversan_ingest_writer_group_reports", "histogram", "Reports per transaction.");
	group_reports.render(out, "serversan_ingest_writer_group_reports");
	header(out, "serversan_ingest_writer_errors_total", "counter", "Failed writer transactions.");
	out += fmt::format("serversan_ingest_writer_errors_total {}\n", load(commit_errors));

	header(out, "serversan_http_connections_open", "gauge", "Open client connections.");
	out += fmt::format("serversan_http_connections_open {}\n", load(connections_open));
	header(out, "serversan_http_connections_total", "counter", "Connections accepted.");
	out += fmt::format("serversan_http_connections_total {}\n", load(connections_accepted));
	header(out, "serversan_http_connections_refused_total", "counter",
	       "Connections closed at accept, by the cap they hit.");
	out += fmt::format("serversan_http_connections_refused_total{{cap=\"total\"}} {}\n",
	                   load(refused_max_connections));
	out += fmt::format("serversan_http_connections_refused_total{{cap=\"per_ip\"}} {}\n",
	                   load(refused_max_per_ip));
	header(out, "serversan_http_timeouts_total", "counter",
	       "Connections closed by a time-out (handshake, header, body, idle or write).");
	out += fmt::format("serversan_http_timeouts_total {}\n", load(timeouts));
	header(out, "serversan_tls_handshake_failures_total", "counter", "TLS handshakes that failed.");
	out += fmt::format("serversan_tls_handshake_failures_total {}\n", load(tls_handshake_failures));

	header(out, "serversan_bot_queue_length", "gauge", "Messages waiting in the Telegram bot's outbox.");
	out += fmt::format("serversan_bot_queue_length {}\n", load(bot_queue_length));

	{
		std::lock_guard lock(gauges_mu_);
		// One HELP/TYPE per base name, the labelled series under it, in registration order.
		std::vector<std::string> bases;
		std::map<std::string, std::vector<const Gauge*>> by_base;
		for (const Gauge& g : gauges_) {
			std::string base = g.name.substr(0, g.name.find('{'));
			if (!by_base.contains(base))
				bases.push_back(base);
			by_base[base].push_back(&g);
		}
		for (const std::string& base : bases) {
			header(out, base, "gauge", by_base[base].front()->help);
			for (const Gauge* g : by_base[base])
				out += fmt::format("{} {}\n", g->name, number(g->read()));
		}
	}

	header(out, "serversan_start_time_seconds", "gauge", "Start time of the process, Unix seconds.");
	out += fmt::format("serversan_start_time_seconds {}\n", start_time_s_);
	return out;
}

uint64_t file_sizes(const std::vector<std::string>& paths) {
	uint64_t total = 0;
	for (const std::string& p : paths) {
		std::error_code ec;
		auto n = std::filesystem::file_size(p, ec);
		if (!ec)
			total += n;
	}
	return total;
}

} // namespace serversan::ingest
