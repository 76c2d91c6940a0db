#include "serversan/agent/sender.h"

#include <algorithm>
#include <cmath>

#include "serversan/agent/collectors/text.h"
#include "serversan/core/crypto.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/signing.h"

namespace serversan::agent {

namespace {

constexpr int64_t kWarnOffsetMs = 30'000;
// What a batch adds around its reports: {"protocol":1,"stream":"...","agent_version":"...",
// "reports":[...]} plus one comma per report (bounded by the version's 32-byte limit).
constexpr size_t kBatchOverhead = 128;

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
std::string describe(const SpoolBatch& batch) {
	if (batch.reports.size() == 1)
		return fmt::format("report seq {}", batch.reports.front().seq);
	return fmt::format("{} reports (seq {}..{})", batch.reports.size(), batch.reports.front().seq,
	                   batch.reports.back().seq);
}

std::string describe_offset(int64_t offset_ms) {
	return fmt::format("this host's clock is {:.0f} s {} the server's", std::abs(offset_ms) / 1000.0,
	                   offset_ms < 0 ? "ahead of" : "behind");
}

uint64_t random_seed() {
	uint64_t seed = 0;
	crypto::random_bytes({reinterpret_cast<uint8_t*>(&seed), sizeof seed});
	return seed;
}

} // namespace

Sender::Sender(HttpTransport& transport, const AgentToken& token, Spool& spool, const Clock& clock,
               SenderOptions options)
    : transport_(transport), key_(derive_signing_key(token)), server_id_(token.server_id), spool_(spool),
      clock_(clock), options_(std::move(options)), path_(options_.base_path + std::string(kReportsPath)),
      batch_limit_(std::clamp<size_t>(options_.max_batch, 1, kMaxReportsPerBatch)), backoff_(random_seed()) {}

void Sender::batch_body(const SpoolBatch& batch, std::string_view agent_version, std::string& out) {
	out.clear();
	out += "{\"protocol\":";
	out += std::to_string(kProtocolVersion);
	out += ",\"stream\":";
	append_json_string(out, batch.stream);
	out += ",\"agent_version\":";
	append_json_string(out, agent_version);
	out += ",\"reports\":[";
	for (size_t i = 0; i < batch.reports.size(); ++i) {
		if (i > 0)
			out += ',';
		out += batch.reports[i].json;
	}
	out += "]}";
}

std::vector<std::string> Sender::take_collect_request() {
	std::vector<std::string> out;
	out.swap(collect_);
	return out;
}

FlushResult Sender::flush(std::optional<TimePoint> until) {
	FlushResult result;
	for (;;) {
		if (not_before_ && monotonic() < *not_before_) {
			log::debug("backing off after a failure; {} reports stay spooled", spool_.pending());
			break;
		}
		not_before_.reset();
		if (until && monotonic() >= *until)
			break;
		size_t max_json = options_.max_body > kBatchOverhead + batch_limit_
		                      ? options_.max_body - kBatchOverhead - batch_limit_
		                      : 1;
		if (!spool_.next_batch(batch_limit_, max_json, batch_))
			break;
		if (send_batch(result) == Step::stop)
			break;
	}
	result.deferred = spool_.pending() > 0;
	// A batch size cut by 413 answers holds until the spool is empty, then starts over.
	if (!result.deferred)
		batch_limit_ = std::clamp<size_t>(options_.max_batch, 1, kMaxReportsPerBatch);
	// A catch-up batch can be a megabyte; do not keep that much around between intervals.
	if (body_.capacity() > (64 << 10))
		std::string().swap(body_);
	if (batch_.json_bytes > (64 << 10))
		std::vector<SpooledReport>().swap(batch_.reports);
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

void Sender::learn_instructions(const ServerAnswer& answer) {
	if (answer.interval_s) {
		double v = *answer.interval_s;
		if (std::isfinite(v) && v >= 1 && v <= 3600)
			server_interval_ = v;
		else
			log_.once(log::Level::warn, "interval",
			          fmt::format("ignoring the server's interval_s {} (allowed: 1 to 3600)", v));
	}
	for (const std::string& section : answer.collect) {
		if (section != "top_processes" && section != "tcp_states") {
			log::debug("ignoring the server's request to collect \"{}\" (unknown section)", excerpt(section));
			continue;
		}
		if (std::find(collect_.begin(), collect_.end(), section) == collect_.end())
			collect_.push_back(section);
	}
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
	++attempts_in_round_;
	if (sent)
		learn_server_time(*sent);
	return sent;
}

Sender::Step Sender::send_batch(FlushResult& result) {
	const size_t count = batch_.reports.size();
	batch_body(batch_, options_.agent_version, body_);
	if (body_.size() > options_.max_body) {
		if (count > 1) {
			batch_limit_ = std::max<size_t>(count / 2, 1);
			return Step::next;
		}
		log::error("{} encodes to {} bytes, over the protocol's {} byte limit; dropped", describe(batch_),
		           body_.size(), options_.max_body);
		spool_.settle(batch_);
		++result.rejected;
		return Step::next;
	}

	attempts_in_round_ = 0;
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
	result.attempts += attempts_in_round_;
	if (!sent) {
		log_.log(log::Level::warn, "network",
		         fmt::format("cannot deliver reports: {}; keeping them ({} spooled) and retrying",
		                     sent.error().message, spool_.pending()));
		result.failed = true;
		back_off(nullptr);
		return Step::stop;
	}

	const HttpResponse& response = *sent;
	auto answer = parse_server_answer(response.body);
	int status = response.status;
	if (status == 200) {
		backoff_.success();
		result.failed = false;
		log_.recovered("network", "server reachable again");
		log_.recovered("http", "server accepts reports again");
		log_.recovered("401", "server accepts this agent's signature again");
		if (answer)
			learn_instructions(*answer);
		uint64_t settled = 0;
		if (answer)
			settled =
			    answer->accepted.value_or(0) + answer->duplicates.value_or(0) + answer->stale.value_or(0);
		if (!answer || !answer->accepted)
			log::warn("server answered 200 without an accepted count; assuming {} arrived", describe(batch_));
		else if (answer->stale.value_or(0) > 0)
			log::warn("server stored {} of {}; {} were too old for its sequence window and are lost",
			          *answer->accepted, describe(batch_), *answer->stale);
		else if (settled != count)
			log::warn("server accounted for {} of {}", settled, describe(batch_));
		else
			log::debug("delivered {} ({} new)", describe(batch_), *answer->accepted);
		spool_.settle(batch_);
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
		log::error("server refused {} with HTTP {} ({}); dropped{}", describe(batch_), status,
		           reason(response, answer),
		           status == 404 || status == 405 ? ". Is the server URL the ServerSan server's?" : "");
		spool_.settle(batch_);
		result.rejected += count;
		return Step::next;
	}
	result.failed = true;
	if (status == 401) {
		explain_401();
		back_off(&response);
		return Step::stop;
	}
	log_.log(log::Level::warn, "http",
	         fmt::format("server answered HTTP {} ({}); keeping reports ({} spooled) and retrying", status,
	                     reason(response, answer), spool_.pending()));
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
	std::optional<double> told;
	if (response)
		told = retry_after_seconds(response->retry_after, clock_.unix_millis() + offset_ms_.value_or(0));
	TimePoint now = monotonic();
	double delay = backoff_.failure(now, told);
	not_before_ = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
	                        std::chrono::duration<double>(delay));
	log::debug("next attempt in {:.1f} s (failure {} in a row)", delay, backoff_.failures());
}

} // namespace serversan::agent
