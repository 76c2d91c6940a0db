// Sender: delivers the spool's reports to the server, oldest first, in batches of one stream (at
// most max_batch reports and max_body bytes), and decides per answer what happens to them
// (docs/protocol.md, sections 5 and 6; POST /api/v1/reports):
//
//   200                  stored (new, duplicate or stale: the server has decided)  -> settled
//   413 (batch > 1)      the batch is halved and retried at once; a single report -> dropped
//   400, 404, 405, 411,  the server will never take these bytes                   -> dropped, logged
//   413, 415
//   401                  re-signed once at once (the server's clock, a fresh nonce); if refused
//                        again: a bad token (or a clock the answer cannot correct), logged once
//                        saying which                                            -> kept, back off
//   429, 5xx, network,   transient                                               -> kept, back off
//   anything else
//
// Back-off (backoff.h) is jittered and bounded by the outage's age: at most 10 s between attempts
// for the first 5 minutes, growing to 5 minutes for long outages, or longer if Retry-After says
// so. flush() sends nothing until it has passed, and retry_at() tells the main loop when to try
// again, so a down server costs one attempt per back-off step, never a busy loop. Every attempt is signed
// afresh (new nonce, current time), so a retry is never a replay. Timestamps follow the server's clock: each
// answer's X-ServerSan-Time gives the offset, applied to later signatures and warned about beyond 30 s.
// Reports keep their own seq and time_ms whenever they are sent: the spool stores them as they were encoded
// at collection.
//
// A failure that repeats is logged once, and its end once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "serversan/agent/backoff.h"
#include "serversan/agent/http_client.h"
#include "serversan/agent/log_once.h"
#include "serversan/agent/server_answer.h"
#include "serversan/agent/spool.h"
#include "serversan/core/clock.h"
#include "serversan/core/report.h"
#include "serversan/core/token.h"

namespace serversan::agent {

inline constexpr std::string_view kReportsPath = "/api/v1/reports";

struct SenderOptions {
	std::string base_path;           // the server URL's path prefix ("" normally)
	size_t max_batch = 500;          // reports per request when catching up (reliability.md 3.7)
	size_t max_body = kMaxBodyBytes; // the protocol's limit on the wire
	std::string agent_version = SERVERSAN_VERSION;
};

struct FlushResult {
	size_t accepted = 0;   // reports the server now has (new, duplicate or stale)
	size_t rejected = 0;   // reports dropped because the server refused them for good
	size_t attempts = 0;   // requests sent
	bool deferred = false; // something is still pending for a later round
	bool failed = false;   // the last attempt failed (network, 401, 429, 5xx...)
};

class Sender {
public:
	using TimePoint = std::chrono::steady_clock::time_point;

	Sender(HttpTransport& transport, const AgentToken& token, Spool& spool, const Clock& clock,
	       SenderOptions options = {});

	// Sends what the spool holds, oldest first, until it is empty, an answer says "later", a
	// back-off is running, or `until` has passed (checked before each request).
	FlushResult flush(std::optional<TimePoint> until = std::nullopt);

	// When the running back-off ends (nullopt: none is running).
	std::optional<TimePoint> retry_at() const { return not_before_; }
	unsigned consecutive_failures() const { return backoff_.failures(); }

	// The interval the server last asked for (instructions.interval_s, 1..3600), if any.
	std::optional<double> server_interval() const { return server_interval_; }
	// The slow sections the server asked for since the last call (instructions.collect), known
	// names only ("top_processes", "tcp_states").
	std::vector<std::string> take_collect_request();
	// Server clock minus ours, from the last answer that said.
	std::optional<int64_t> clock_offset_ms() const { return offset_ms_; }

	// Monotonic time for back-off and deadlines (tests replace it).
	std::function<TimePoint()> monotonic = std::chrono::steady_clock::now;

	// The request body for a batch: the same JSON encode_batch() writes, from the spooled
	// report objects.
	static void batch_body(const SpoolBatch& batch, std::string_view agent_version, std::string& out);

private:
	enum class Step { next, stop };
	Step send_batch(FlushResult& result);
	Result<HttpResponse> post();
	void learn_server_time(const HttpResponse& response);
	void learn_instructions(const ServerAnswer& answer);
	void explain_401();
	void back_off(const HttpResponse* response);

	HttpTransport& transport_;
	SigningKey key_;
	uint64_t server_id_;
	Spool& spool_;
	const Clock& clock_;
	SenderOptions options_;
	std::string path_;
	size_t batch_limit_;
	std::optional<double> server_interval_;
	std::vector<std::string> collect_;
	std::optional<int64_t> offset_ms_;
	Backoff backoff_;
	std::optional<TimePoint> not_before_;
	LogOnce log_;
	size_t attempts_in_round_ = 0;
	SpoolBatch batch_;
	std::string body_;
};

} // namespace serversan::agent
