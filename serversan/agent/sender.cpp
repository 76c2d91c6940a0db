#include "serversan/agent/sender.h"

#include <algorithm>
#include <cmath>

#include "serversan/agent/collectors/text.h"
#include "serversan/core/crypto.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/signing.h"

namespace serversan::agent {

namespace {

constexpr double kFirstBackoffS = 1;
constexpr double kMaxBackoffS = 300;
constexpr uint64_t kMaxRetryAfterS = 3600;
constexpr int64_t kWarnOffsetMs = 30'000;

// A server's error text is untrusted: printable ASCII only, and short, before it reaches a log.
std::string excerpt(std::string_view body) {
	std::string out;
	for (char c : body.substr(0, 200))
		out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
	if (body.size() > 200)
		out += "...";
	return out;
}

std::string reason(const HttpResponse& response, const std::optional<ServerAnswer>& answer) {
	if (answer && !answer->error.empty())
		return answer->reason.empty() ? excerpt(answer->error)
		                              : excerpt(answer->error) + ": " + excerpt(answer->reason);
	if (response.body.empty())
		return "no details";
	return excerpt(response.body);
}

// "report seq 7" or "3 reports (seq 5..7)", for log lines about a batch.
std::string describe(const ReportBatch& batch) {
	if (batch.reports.size() == 1)
		return fmt::format("report seq {}", batch.reports.front().seq);
	return fmt::format("{} reports (seq {}..{})", batch.reports.size(), batch.reports.front().seq,
	                   batch.reports.back().seq);
}

std::string describe_offset(int64_t offset_ms) {
	return fmt::format("this host's clock is {:.0f} s {} the server's", std::abs(offset_ms) / 1000.0,
	                   offset_ms < 0 ? "ahead of" : "behind");
}

} // namespace

Sender::Sender(HttpTransport& transport, const AgentToken& token, std::string stream, const Clock& clock,
               SenderOptions options)
    : transport_(transport), key_(derive_signing_key(token)), server_id_(token.server_id),
      stream_(std::move(stream)), clock_(clock), options_(std::move(options)),
      path_(options_.base_path + std::string(kReportsPath)),
      batch_limit_(std::clamp<size_t>(options_.max_batch, 1, kMaxReportsPerBatch)),
      jitter_(static_cast<unsigned>(std::random_device{}())) {}

void Sender::enqueue(Report report) {
	while (queue_.size() >= std::max<size_t>(options_.max_queued, 1)) {
		queue_.pop_front();
		++dropped_overflow_;
	}
	queue_.push_back(std::move(report));
}

void Sender::drop_front(size_t count) {
	count = std::min(count, queue_.size());
	queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
}

FlushResult Sender::flush() {
	FlushResult result;
	while (!queue_.empty()) {
		if (not_before_ && monotonic() < *not_before_) {
			log::debug("backing off after a failure; {} reports stay queued", queue_.size());
			break;
		}
		not_before_.reset();
		if (send_batch(std::min(queue_.size(), batch_limit_), result) == Step::stop)
			break;
	}
	result.deferred = !queue_.empty();
	return result;
}

void Sender::learn_server_time(const HttpResponse& response) {
	std::optional<int64_t> server_ms = to_i64(trim(response.server_time));
	if (!server_ms)
		server_ms = parse_http_date_ms(response.date); // whole seconds, but better than nothing
	if (!server_ms)
		return;
	int64_t offset = *server_ms - clock_.unix_millis();
	offset_ms_ = offset;
	if (std::abs(offset) > kWarnOffsetMs)
		log_.once(
		    log::Level::warn, "offset",
		    fmt::format("{}; requests are signed with the server's time, but fix this clock (e.g. enable "
		                "NTP): the reports' own times are wrong by as much",
		                describe_offset(offset)));
	else
		log_.recovered("offset", "this host's clock agrees with the server's again");
}

Result<HttpResponse> Sender::post() {
	int64_t now_ms = clock_.unix_millis() + offset_ms_.value_or(0);
	int64_t timestamp = now_ms >= 0 ? now_ms / 1000 : 0;
	std::string nonce = make_nonce();
	SignedRequest signed_request{"POST", path_, "", "application/json", "", crypto::bytes(body_)};
	HttpRequest request{"POST",
	                    path_,
	                    {{"Content-Type", "application/json"},
	                     {"Accept", "application/json"},
	                     {"Authorization", sign_request(key_, server_id_, timestamp, nonce, signed_request)}},
	                    body_};
	auto sent = transport_.send(request);
	if (sent)
		learn_server_time(*sent);
	return sent;
}

Sender::Step Sender::send_batch(size_t count, FlushResult& result) {
	ReportBatch batch;
	batch.stream = stream_;
	batch.agent_version = options_.agent_version;
	batch.reports.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
	body_.clear();
	encode_batch(batch, body_);
	if (body_.size() > kMaxBodyBytes) {
		if (count > 1) {
			batch_limit_ = count / 2;
			return Step::next;
		}
		log::error("{} encodes to {} bytes, over the protocol's {} byte limit; dropped", describe(batch),
		           body_.size(), kMaxBodyBytes);
		drop_front(1);
		++result.rejected;
		return Step::next;
	}

	auto sent = post();
	// A reused keep-alive connection can die just as we write; one fresh try is not a replay
	// (new nonce) and the server deduplicates by seq anyway.
	if (!sent && transport_.last_send_reused_connection()) {
		log::debug("send over a reused connection failed ({}); retrying on a new one", sent.error().message);
		sent = post();
	}
	// The protocol's answer to 401: re-sign once (now with the server's clock, which the 401
	// carried), then back off. This also covers a server restart, which refuses requests signed
	// before it started.
	if (sent && sent->status == 401) {
		log::debug("server answered 401; re-signing once");
		sent = post();
	}
	if (!sent) {
		log_.log(log::Level::warn, "network",
		         fmt::format("cannot deliver reports: {}; keeping them and retrying", sent.error().message));
		back_off(nullptr);
		return Step::stop;
	}

	const HttpResponse& response = *sent;
	auto answer = parse_server_answer(response.body);
	int status = response.status;
	if (status == 200) {
		failures_ = 0;
		log_.recovered("network", "server reachable again");
		log_.recovered("http", "server accepts reports again");
		log_.recovered("401", "server accepts this agent's signature again");
		if (answer && answer->interval_s) {
			double v = *answer->interval_s;
			if (std::isfinite(v) && v >= 1 && v <= 3600)
				server_interval_ = v;
			else
				log_.once(log::Level::warn, "interval",
				          fmt::format("ignoring the server's interval_s {} (allowed: 1 to 3600)", v));
		}
		uint64_t settled = 0;
		if (answer)
			settled =
			    answer->accepted.value_or(0) + answer->duplicates.value_or(0) + answer->stale.value_or(0);
		if (!answer || !answer->accepted)
			log::warn("server answered 200 without an accepted count; assuming {} arrived", describe(batch));
		else if (answer->stale.value_or(0) > 0)
			log::warn("server stored {} of {}; {} were too old for its sequence window and are lost",
			          *answer->accepted, describe(batch), *answer->stale);
		else if (settled != count)
			log::warn("server accounted for {} of {}", settled, describe(batch));
		else
			log::debug("delivered {} ({} new)", describe(batch), *answer->accepted);
		drop_front(count);
		result.accepted += count;
		return Step::next;
	}
	if (status == 413 && count > 1) {
		batch_limit_ = std::max<size_t>(count / 2, 1);
		log::info("server found a batch of {} reports too large; sending at most {} per request", count,
		          batch_limit_);
		return Step::next;
	}
	if (status == 400 || status == 404 || status == 405 || status == 411 || status == 413 || status == 415) {
		log::error("server refused {} with HTTP {} ({}); dropped{}", describe(batch), status,
		           reason(response, answer),
		           status == 404 || status == 405 ? ". Is --server the ServerSan server's URL?" : "");
		drop_front(count);
		result.rejected += count;
		return Step::next;
	}
	if (status == 401) {
		explain_401();
		back_off(&response);
		return Step::stop;
	}
	log_.log(log::Level::warn, "http",
	         fmt::format("server answered HTTP {} ({}); keeping reports and retrying", status,
	                     reason(response, answer)));
	back_off(&response);
	return Step::stop;
}

void Sender::explain_401() {
	std::string why;
	if (offset_ms_)
		why = fmt::format(
		    "although the request was signed with the server's time ({}), so the token is wrong, "
		    "was rotated, or belongs to another server; reinstall the agent with the server's "
		    "current token",
		    std::abs(*offset_ms_) < 2000 ? std::string("the clocks agree") : describe_offset(*offset_ms_));
	else
		why = "a wrong or rotated token, or this host's clock is off by more than the server allows (the "
		      "server sent no time to tell which)";
	log_.once(log::Level::error, "401",
	          fmt::format("server refused this agent's signature (HTTP 401) {}. Keeping reports and retrying",
	                      why));
}

void Sender::back_off(const HttpResponse* response) {
	++failures_;
	double delay = std::min(kMaxBackoffS,
	                        kFirstBackoffS * std::ldexp(1.0, static_cast<int>(std::min(failures_ - 1, 20u))));
	// Jitter in [delay/2, delay]: agents that lost the server together do not return together.
	delay *= 0.5 + 0.5 * std::uniform_real_distribution<double>(0, 1)(jitter_);
	if (response && !response->retry_after.empty()) {
		double told = -1;
		if (auto seconds = to_u64(trim(response->retry_after)))
			told = static_cast<double>(std::min(*seconds, kMaxRetryAfterS));
		else if (auto when = parse_http_date_ms(response->retry_after))
			told = std::clamp(static_cast<double>(*when - (clock_.unix_millis() + offset_ms_.value_or(0))) /
			                      1000.0,
			                  0.0, static_cast<double>(kMaxRetryAfterS));
		delay = std::max(delay, told);
	}
	not_before_ = monotonic() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
	                                std::chrono::duration<double>(delay));
}

} // namespace serversan::agent
