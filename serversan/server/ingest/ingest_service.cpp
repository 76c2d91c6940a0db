#include "serversan/server/ingest/ingest_service.h"

#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/log.h"
#include "serversan/core/report_decode.h"
#include "serversan/core/signing.h"
#include "serversan/server/ingest/gunzip.h"

namespace serversan::ingest {

namespace {

std::string_view trim(std::string_view s) {
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	return s;
}

bool iequals(std::string_view a, std::string_view b) {
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); ++i) {
		char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
		char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
		if (x != y)
			return false;
	}
	return true;
}

// "application/json" with an optional "; charset=utf-8".
bool is_json_content_type(std::string_view ct) {
	ct = trim(ct);
	size_t semi = ct.find(';');
	std::string_view media = trim(ct.substr(0, semi));
	if (!iequals(media, "application/json"))
		return false;
	if (semi == std::string_view::npos)
		return true;
	std::string_view param = trim(ct.substr(semi + 1));
	return iequals(param, "charset=utf-8");
}

std::string json_escape(std::string_view s) {
	std::string out;
	for (char c : s) {
		if (c == '"' || c == '\\') {
			out.push_back('\\');
			out.push_back(c);
		} else if (static_cast<unsigned char>(c) < 0x20) {
			out += fmt::format("\\u{:04x}", static_cast<int>(c));
		} else {
			out.push_back(c);
		}
	}
	return out;
}

} // namespace

IngestService::IngestService(store::Store& store, const Clock& clock, IngestOptions options)
    : store_(store), clock_(clock), options_(options), started_s_(clock.unix_seconds()),
      nonces_(options.nonce_capacity, options.timestamp_window_s) {}

IngestResponse IngestService::reply(int status, std::string_view reason, std::string_view detail) {
	IngestResponse r;
	r.status = status;
	r.reason = reason;
	if (detail.empty())
		r.body = fmt::format(R"({{"error":"{}","server_time_ms":{}}})", reason, clock_.unix_millis());
	else
		r.body = fmt::format(R"({{"error":"{}","reason":"{}","server_time_ms":{}}})", reason,
		                     json_escape(detail), clock_.unix_millis());
	return r;
}

// Every authentication failure gets the same status and byte-identical body, so a caller cannot
// tell an unknown server from a bad MAC or a replay; the reason goes to logs and metrics only.
// Server time travels in the Date and X-ServerSan-Time headers instead.
IngestResponse IngestService::unauthorized(std::string_view reason) {
	counters_.rejected_unauthorized.fetch_add(1, std::memory_order_relaxed);
	IngestResponse r;
	r.status = 401;
	r.reason = reason;
	r.body = R"({"error":"unauthorized"})";
	return r;
}

std::optional<IngestResponse> IngestService::precheck(std::string_view method, std::string_view target,
                                                      std::string_view content_type,
                                                      std::string_view content_encoding,
                                                      std::optional<uint64_t> content_length) const {
	auto make = [&](int status, std::string_view reason, std::string_view detail) {
		IngestResponse r;
		r.status = status;
		r.reason = reason;
		r.body = fmt::format(R"({{"error":"{}","reason":"{}","server_time_ms":{}}})", reason, detail,
		                     clock_.unix_millis());
		return r;
	};
	std::string_view path = target.substr(0, target.find('?'));
	if (path != kReportsPath)
		return make(404, "not_found", "no such endpoint");
	if (method != "POST")
		return make(405, "method_not_allowed", "use POST");
	if (!is_json_content_type(content_type))
		return make(415, "unsupported_media_type", "Content-Type must be application/json");
	std::string_view enc = trim(content_encoding);
	if (!enc.empty() && !iequals(enc, "gzip") && !iequals(enc, "identity"))
		return make(415, "unsupported_media_type", "Content-Encoding must be gzip or absent");
	if (!content_length)
		return make(411, "length_required", "Content-Length is required");
	if (*content_length > options_.max_body_bytes)
		return make(413, "too_large", fmt::format("body over {} bytes", options_.max_body_bytes));
	return std::nullopt;
}

IngestResponse IngestService::handle(const IngestRequest& req) {
	if (auto early =
	        precheck(req.method, req.target, req.content_type, req.content_encoding, req.content_length)) {
		(early->status == 413 ? counters_.rejected_too_large : counters_.rejected_other)
		    .fetch_add(1, std::memory_order_relaxed);
		return *early;
	}
	if (req.body.size() != *req.content_length)
		return reply(400, "malformed", "body length differs from Content-Length");

	auto auth = parse_authorization(req.authorization);
	if (!auth.ok())
		return unauthorized("malformed_authorization");
	auto server = store_.find_server(auth->server_id);
	if (!server.ok()) {
		counters_.store_errors.fetch_add(1, std::memory_order_relaxed);
		log::error("ingest: server lookup failed: {}", server.error().message);
		auto r = reply(503, "unavailable", "store unavailable");
		r.retry_after_s = 5;
		return r;
	}
	if (!*server)
		return unauthorized("unknown_server");

	size_t q = req.target.find('?');
	std::string_view path = req.target.substr(0, q);
	std::string_view query = q == std::string_view::npos ? std::string_view{} : req.target.substr(q + 1);
	SignedRequest signed_req{
	    req.method, path, query, req.content_type, req.content_encoding, crypto::bytes(req.body)};
	int64_t now_s = clock_.unix_seconds();
	Verdict v = verify_request((*server)->signing_key, *auth, signed_req, now_s, options_.timestamp_window_s);
	if (v != Verdict::ok)
		return unauthorized(verdict_name(v));
	// The nonce cache lives in memory: anything signed before this process started may have been
	// seen by a previous process, so it is refused. Honest agents re-sign on retry.
	if (auth->timestamp < started_s_)
		return unauthorized("signed_before_start");
	switch (nonces_.insert(auth->server_id, auth->nonce, auth->timestamp, now_s)) {
	case NonceCache::Outcome::fresh:
		break;
	case NonceCache::Outcome::replay:
		return unauthorized("replayed_nonce");
	case NonceCache::Outcome::full: {
		counters_.rejected_other.fetch_add(1, std::memory_order_relaxed);
		auto r = reply(503, "replay_cache_full", "server busy");
		r.retry_after_s = 30;
		return r;
	}
	}

	std::string inflated;
	std::string_view json = req.body;
	if (iequals(trim(req.content_encoding), "gzip")) {
		auto out = gunzip(req.body, options_.max_decoded_bytes);
		if (!out.ok()) {
			bool big = out.error().message.find("too large") != std::string::npos;
			(big ? counters_.rejected_too_large : counters_.rejected_malformed).fetch_add(1);
			return reply(big ? 413 : 400, big ? "too_large" : "malformed", out.error().message);
		}
		inflated = std::move(*out);
		json = inflated;
	}

	auto batch = decode_batch(json);
	if (!batch.ok()) {
		counters_.rejected_malformed.fetch_add(1, std::memory_order_relaxed);
		return reply(400, "malformed", batch.error().message);
	}

	std::vector<store::IngestBatch> batches;
	batches.push_back({auth->server_id, std::move(*batch), clock_.unix_millis()});
	auto stored = store_.append(batches);
	if (!stored.ok()) {
		counters_.store_errors.fetch_add(1, std::memory_order_relaxed);
		log::error("ingest: storing a batch of server {} failed: {}", auth->server_id,
		           stored.error().message);
		auto r = reply(503, "unavailable", "store unavailable");
		r.retry_after_s = 5;
		return r;
	}
	const store::IngestOutcome& o = stored->front();
	counters_.requests_ok.fetch_add(1, std::memory_order_relaxed);
	counters_.reports_accepted.fetch_add(o.accepted, std::memory_order_relaxed);
	counters_.reports_duplicate.fetch_add(o.duplicates, std::memory_order_relaxed);
	counters_.reports_stale.fetch_add(o.stale, std::memory_order_relaxed);

	IngestResponse r;
	r.status = 200;
	r.reason = "accepted";
	r.body = fmt::format(R"({{"status":"ok","accepted":{},"duplicates":{},"stale":{},"server_time_ms":{})",
	                     o.accepted, o.duplicates, o.stale, clock_.unix_millis());
	if (options_.interval_s > 0)
		r.body += fmt::format(R"(,"instructions":{{"interval_s":{}}})", options_.interval_s);
	r.body += "}";
	return r;
}

} // namespace serversan::ingest
