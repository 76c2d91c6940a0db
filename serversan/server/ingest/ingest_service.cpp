#include "serversan/server/ingest/ingest_service.h"

#include <future>

#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"
#include "serversan/core/log.h"
#include "serversan/core/report_decode.h"
#include "serversan/core/report_time.h"
#include "serversan/core/signing.h"
#include "serversan/server/ingest/gunzip.h"

namespace serversan::ingest {

namespace {

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
	ct = trim_blanks(ct);
	size_t semi = ct.find(';');
	std::string_view media = trim_blanks(ct.substr(0, semi));
	if (!iequals(media, "application/json"))
		return false;
	if (semi == std::string_view::npos)
		return true;
	std::string_view param = trim_blanks(ct.substr(semi + 1));
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

KeyLookup key_lookup(store::Store& store) {
	return [&store](uint64_t id) -> Result<std::optional<ServerKey>> {
		auto s = store.find_server(id);
		if (!s.ok())
			return s.error();
		if (!*s)
			return std::optional<ServerKey>{};
		return std::optional<ServerKey>{ServerKey{(*s)->signing_key, (*s)->key_version}};
	};
}

} // namespace

IngestService::IngestService(store::Store& store, const Clock& clock, IngestOptions options, Writer* writer,
                             IngestMetrics* metrics)
    : store_(store), clock_(clock), options_(options), writer_(writer),
      own_metrics_(metrics ? nullptr : std::make_unique<IngestMetrics>()),
      metrics_(metrics ? metrics : own_metrics_.get()), started_s_(clock.unix_seconds()),
      nonces_(options.nonce_capacity, options.timestamp_window_s),
      keys_(key_lookup(store), clock, options.key_cache),
      ip_limiter_(options.per_ip, options.limiter_capacity, clock),
      server_limiter_(options.per_server, options.limiter_capacity, clock),
      blocklist_(options.auth_block, clock),
      out_of_range_log_({1.0 / 60, 1}, options.limiter_capacity, clock), direct_(store_backend(store)) {
	crypto::random_bytes(decoy_key_.key);
}

IngestResponse IngestService::reply(int status, std::string_view reason, std::string_view detail) {
	IngestResponse r;
	r.status = status;
	r.reason = reason;
	if (detail.empty())
		r.body = fmt::format(R"({{"error":"{}","server_time_ms":{}}})", reason, clock_.unix_millis());
	else
		r.body = fmt::format(R"({{"error":"{}","reason":"{}","server_time_ms":{}}})", reason,
		                     json_escape(detail), clock_.unix_millis());
	metrics_->count_rejection(reason);
	IngestCounters& c = metrics_->counters;
	(status == 400   ? c.rejected_malformed
	 : status == 413 ? c.rejected_too_large
	                 : c.rejected_other)
	    .fetch_add(1, std::memory_order_relaxed);
	return r;
}

IngestResponse IngestService::busy(std::string_view reason, std::string_view detail) {
	IngestResponse r = reply(503, reason, detail);
	r.retry_after_s = options_.retry_after_busy_s;
	if (reason == "store_unavailable")
		metrics_->counters.store_errors.fetch_add(1, std::memory_order_relaxed);
	return r;
}

// Every authentication failure gets the same status and byte-identical body, so a caller cannot
// tell an unknown server from a bad MAC or a replay; the reason goes to logs and metrics only.
// Server time travels in the Date and X-ServerSan-Time headers instead.
IngestResponse IngestService::unauthorized(std::string_view reason, std::string_view client_ip) {
	metrics_->counters.rejected_unauthorized.fetch_add(1, std::memory_order_relaxed);
	metrics_->count_rejection(reason);
	if (blocklist_.record_failure(client_ip))
		log::warn("ingest: {} blocked for {} failed authentications within {} s", client_ip,
		          options_.auth_block.max_failures, options_.auth_block.window_s);
	IngestResponse r;
	r.status = 401;
	r.reason = reason;
	r.body = R"({"error":"unauthorized"})";
	return r;
}

IngestResponse IngestService::accepted(const store::IngestOutcome& o, uint64_t out_of_range) {
	IngestCounters& c = metrics_->counters;
	c.requests_ok.fetch_add(1, std::memory_order_relaxed);
	c.reports_accepted.fetch_add(o.accepted, std::memory_order_relaxed);
	c.reports_duplicate.fetch_add(o.duplicates, std::memory_order_relaxed);
	c.reports_stale.fetch_add(o.stale, std::memory_order_relaxed);
	c.reports_out_of_range.fetch_add(out_of_range, std::memory_order_relaxed);
	IngestResponse r;
	r.status = 200;
	r.reason = "accepted";
	r.body = fmt::format(
	    R"({{"status":"ok","accepted":{},"duplicates":{},"stale":{},"out_of_range":{},"server_time_ms":{})",
	    o.accepted, o.duplicates, o.stale, out_of_range, clock_.unix_millis());
	if (options_.interval_s > 0)
		r.body += fmt::format(R"(,"instructions":{{"interval_s":{}}})", options_.interval_s);
	r.body += "}";
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
	size_t q = target.find('?');
	std::string_view path = target.substr(0, q);
	if (path != kReportsPath)
		return make(404, "not_found", "no such endpoint");
	if (method != "POST")
		return make(405, "method_not_allowed", "use POST");
	// v1 defines no query parameters: a query would be signed and then ignored, so it is refused.
	if (q != std::string_view::npos)
		return make(400, "malformed", "v1 defines no query string");
	if (!is_json_content_type(content_type))
		return make(415, "unsupported_media_type", "Content-Type must be application/json");
	std::string_view enc = trim_blanks(content_encoding);
	if (!enc.empty() && !iequals(enc, "gzip") && !iequals(enc, "identity"))
		return make(415, "unsupported_media_type", "Content-Encoding must be gzip or absent");
	if (!content_length)
		return make(411, "length_required", "Content-Length is required");
	if (*content_length > options_.max_body_bytes)
		return make(413, "too_large", fmt::format("body over {} bytes", options_.max_body_bytes));
	return std::nullopt;
}

std::variant<IngestResponse, HeadTicket> IngestService::check_head(const IngestRequest& req) {
	if (auto early =
	        precheck(req.method, req.target, req.content_type, req.content_encoding, req.content_length)) {
		metrics_->count_rejection(early->reason);
		(early->status == 413 ? metrics_->counters.rejected_too_large : metrics_->counters.rejected_other)
		    .fetch_add(1, std::memory_order_relaxed);
		return std::move(*early);
	}
	// A blocked address is refused before its tokens or the key lookup cost anything.
	if (auto left = blocklist_.blocked(req.client_ip)) {
		IngestResponse r = reply(429, "auth_blocked", "too many failed authentications from this address");
		r.retry_after_s = static_cast<int>(*left);
		return r;
	}
	if (RateDecision d = ip_limiter_.admit(req.client_ip); !d.allowed) {
		IngestResponse r = reply(429, "rate_limited_ip", "too many requests from this address");
		r.retry_after_s = d.retry_after_s;
		return r;
	}
	// A malformed header or an unknown server is not answered here: it goes on like a request
	// with a wrong key (body read, MAC computed, 401), so that no answer, timing or
	// `100 Continue` tells a caller which server ids exist (protocol.md section 6).
	auto auth = parse_authorization(req.authorization);
	if (!auth.ok())
		return HeadTicket{{}, decoy_key_, false, "malformed_authorization"};
	auto found = keys_.get(auth->server_id);
	if (!found.ok()) {
		log::error("ingest: looking up the key of server {} failed: {}", auth->server_id,
		           found.error().message);
		return busy("store_unavailable", "store unavailable");
	}
	if (!*found)
		return HeadTicket{std::move(*auth), decoy_key_, false, "unknown_server"};
	return HeadTicket{std::move(*auth), (*found)->key, (*found)->from_cache};
}

std::variant<IngestResponse, VerifiedBatch> IngestService::check_body(const IngestRequest& req,
                                                                      const HeadTicket& ticket) {
	if (req.content_length && req.body.size() != *req.content_length)
		return reply(400, "malformed", "body length differs from Content-Length");
	const Authorization& auth = ticket.auth;
	size_t q = req.target.find('?');
	std::string_view path = req.target.substr(0, q);
	std::string_view query = q == std::string_view::npos ? std::string_view{} : req.target.substr(q + 1);
	SignedRequest signed_req{
	    req.method, path, query, req.content_type, req.content_encoding, crypto::bytes(req.body)};
	int64_t now_s = clock_.unix_seconds();
	ServerKey key = ticket.key;
	Verdict v = verify_request(key.key, auth, signed_req, now_s, options_.timestamp_window_s);
	if (!ticket.refuse.empty())
		return unauthorized(ticket.refuse, req.client_ip);
	if (v == Verdict::bad_signature && ticket.key_from_cache) {
		// The token may have been rotated by another process since we cached the key: a new
		// token must work at once, so read the key again before refusing.
		auto fresh = keys_.reload(auth.server_id);
		if (!fresh.ok()) {
			log::error("ingest: reloading the key of server {} failed: {}", auth.server_id,
			           fresh.error().message);
			return busy("store_unavailable", "store unavailable");
		}
		if (!*fresh)
			return unauthorized("unknown_server", req.client_ip);
		if (fresh->value().key != key.key) {
			key = **fresh;
			v = verify_request(key.key, auth, signed_req, now_s, options_.timestamp_window_s);
		}
	}
	if (v != Verdict::ok)
		return unauthorized(verdict_name(v), req.client_ip);
	// The nonce cache lives in memory: anything signed before this process started may have been
	// seen by a previous process, so it is refused. The start second itself is accepted: a process
	// that stopped early in it may have accepted the same request, but its reports are then
	// duplicates for the sequence window and stored once. Honest agents re-sign on retry.
	if (auth.timestamp < started_s_)
		return unauthorized("signed_before_start", req.client_ip);
	if (RateDecision d = server_limiter_.admit(fmt::format_int(auth.server_id).str()); !d.allowed) {
		IngestResponse r = reply(429, "rate_limited_server", "too many requests for this server");
		r.retry_after_s = d.retry_after_s;
		return r;
	}
	switch (nonces_.insert(auth.server_id, auth.nonce, auth.timestamp, now_s)) {
	case NonceCache::Outcome::fresh:
		break;
	case NonceCache::Outcome::replay:
		return unauthorized("replayed_nonce", req.client_ip);
	case NonceCache::Outcome::full:
		return busy("replay_cache_full", "server busy");
	}

	std::string inflated;
	std::string_view json = req.body;
	if (iequals(trim_blanks(req.content_encoding), "gzip")) {
		auto out = gunzip(req.body, options_.max_decoded_bytes);
		if (!out.ok()) {
			bool big = out.error().message.find("too large") != std::string::npos;
			return reply(big ? 413 : 400, big ? "too_large" : "malformed", out.error().message);
		}
		inflated = std::move(*out);
		json = inflated;
	}

	auto batch = decode_batch(json);
	if (!batch.ok())
		return reply(400, "malformed", batch.error().message);
	const int64_t now_ms = clock_.unix_millis();
	const size_t out_of_range =
	    drop_reports_out_of_bounds(batch->reports, now_ms, options_.timestamp_window_s * 1000);
	if (out_of_range > 0 && out_of_range_log_.admit(fmt::format_int(auth.server_id).str()).allowed)
		log::warn("ingest: server {}: {} report(s) skipped, their sample time is more than {} s ahead of "
		          "or {} s behind the server's clock (at most one such line a minute per server)",
		          auth.server_id, out_of_range, options_.timestamp_window_s, kMaxReportAgeMs / 1000);
	return VerifiedBatch{
	    {auth.server_id, std::move(*batch), now_ms, key.version}, std::string(req.client_ip), out_of_range};
}

void IngestService::commit(VerifiedBatch v, std::function<void(IngestResponse)> done) {
	uint64_t id = v.batch.server_id;
	auto finish = [this, id, ip = std::move(v.client_ip), skipped = v.out_of_range](const WriteResult& r) {
		switch (r.status) {
		case WriteStatus::stored:
			return accepted(r.outcome, skipped);
		case WriteStatus::key_changed:
			// Rotated or deleted since the MAC was checked against the cached key.
			keys_.invalidate(id);
			return unauthorized("key_changed", ip);
		case WriteStatus::failed:
			break;
		}
		return busy("store_unavailable", "store unavailable");
	};
	std::vector<WriteJob> jobs;
	jobs.push_back(WriteJob{std::move(v.batch), [finish, done](const WriteResult& r) { done(finish(r)); }});
	if (!writer_) {
		commit_group(direct_, jobs, WriterOptions{}, *metrics_);
		return;
	}
	switch (writer_->submit(std::move(jobs.front()))) {
	case Writer::Submit::queued:
		return;
	case Writer::Submit::full:
		return done(busy("queue_full", "server busy"));
	case Writer::Submit::stopped:
		return done(busy("shutting_down", "server shutting down"));
	}
}

IngestResponse IngestService::handle(const IngestRequest& req) {
	auto head = check_head(req);
	if (auto* r = std::get_if<IngestResponse>(&head))
		return std::move(*r);
	auto body = check_body(req, std::get<HeadTicket>(head));
	if (auto* r = std::get_if<IngestResponse>(&body))
		return std::move(*r);
	std::promise<IngestResponse> answer;
	auto future = answer.get_future();
	commit(std::move(std::get<VerifiedBatch>(body)),
	       [&answer](IngestResponse r) { answer.set_value(std::move(r)); });
	return future.get();
}

Result<size_t> IngestService::preload_keys() {
	auto servers = store_.list_servers();
	if (!servers.ok())
		return servers.error();
	std::vector<std::pair<uint64_t, ServerKey>> keys;
	keys.reserve(servers->size());
	// A key the store could not read comes back as zeros: leave it to a lookup, which reports why.
	for (const auto& s : *servers)
		if (s.signing_key != SigningKey{})
			keys.emplace_back(s.id, ServerKey{s.signing_key, s.key_version});
	keys_.preload(keys);
	return keys_.size();
}

} // namespace serversan::ingest
