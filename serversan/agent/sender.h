// Sender: delivers reports to the server, oldest first, and decides per answer what happens to
// them (docs/protocol.md, sections 5 and 6; POST /api/v1/reports):
//
//   200                  stored (new, duplicate or stale: the server has decided)  -> removed
//   413 (batch > 1)      the batch is halved and retried at once; a single report -> dropped
//   400, 404, 405, 411,  the server will never take these bytes                   -> dropped, logged
//   413, 415
//   401                  re-signed once at once (the server's clock, a fresh nonce); if refused
//                        again: a bad token (or a clock the answer cannot correct), logged once
//                        saying which                                            -> kept, back off
//   429, 5xx, network,   transient                                               -> kept, back off
//   anything else
//
// Back-off is exponential with jitter from 1 s up to 5 minutes, or longer if Retry-After says so;
// flush() sends nothing until it has passed. Every attempt is signed afresh (new nonce, current
// time), so a retry is never a replay. Timestamps follow the server's clock: each answer's
// X-ServerSan-Time gives the offset, applied to later signatures and warned about beyond 30 s.
//
// Until the disk spool exists, unsent reports wait in memory, at most max_queued of them; the
// oldest are dropped first (dropped_overflow(), which reports carry as spool_dropped). A failure
// that repeats is logged once, and its end once.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include "serversan/agent/http_client.h"
#include "serversan/agent/log_once.h"
#include "serversan/agent/server_answer.h"
#include "serversan/core/clock.h"
#include "serversan/core/report.h"
#include "serversan/core/token.h"

namespace serversan::agent {

inline constexpr std::string_view kReportsPath = "/api/v1/reports";

struct SenderOptions {
	std::string base_path;    // the server URL's path prefix ("" normally)
	size_t max_queued = 1440; // a day of reports at the default interval
	size_t max_batch = 100;   // reports per request when catching up
	std::string agent_version = SERVERSAN_VERSION;
};

struct FlushResult {
	size_t accepted = 0;   // reports the server now has (new, duplicate or stale)
	size_t rejected = 0;   // reports dropped because the server refused them for good
	bool deferred = false; // something is still queued for a later round
};

class Sender {
public:
	Sender(HttpTransport& transport, const AgentToken& token, std::string stream, const Clock& clock,
	       SenderOptions options = {});

	// Queues a report (its seq already reserved); drops the oldest if the queue is full.
	void enqueue(Report report);

	// Sends what is queued, in order, until the queue is empty, an answer says "later", or a
	// back-off is still running.
	FlushResult flush();

	size_t queued() const { return queue_.size(); }
	uint64_t dropped_overflow() const { return dropped_overflow_; }
	// The interval the server last asked for (instructions.interval_s, 1..3600), if any.
	std::optional<double> server_interval() const { return server_interval_; }
	// Server clock minus ours, from the last answer that said.
	std::optional<int64_t> clock_offset_ms() const { return offset_ms_; }

	// Monotonic time for back-off (tests replace it).
	std::function<std::chrono::steady_clock::time_point()> monotonic = std::chrono::steady_clock::now;

private:
	enum class Step { next, stop };
	Step send_batch(size_t count, FlushResult& result);
	Result<HttpResponse> post();
	void learn_server_time(const HttpResponse& response);
	void drop_front(size_t count);
	void explain_401();
	void back_off(const HttpResponse* response);

	HttpTransport& transport_;
	SigningKey key_;
	uint64_t server_id_;
	std::string stream_;
	const Clock& clock_;
	SenderOptions options_;
	std::string path_;
	std::deque<Report> queue_;
	size_t batch_limit_;
	uint64_t dropped_overflow_ = 0;
	std::optional<double> server_interval_;
	std::optional<int64_t> offset_ms_;
	unsigned failures_ = 0; // consecutive rounds that ended in a transient failure
	std::optional<std::chrono::steady_clock::time_point> not_before_;
	std::minstd_rand jitter_;
	LogOnce log_;
	std::string body_;
};

} // namespace serversan::agent
