// CommitFeed: how committed reports reach the engine without slowing the writer. The writer's
// after_commit hook (ingest/writer.h) only moves the group into a queue (well under a microsecond
// per report); the feed's own thread takes everything queued at once and calls
// Engine::on_committed with it (about 3-4 us per report, engine.h), so evaluations and the
// engine's store writes never sit between one group commit and the next. The latency it adds
// is the engine's own work: a report that completes a breach has its notice queued well within
// a second of its commit unless the engine is seconds behind, which the stats show.
//
// The queue is bounded (in reports): if the engine falls that far behind, newer groups are
// dropped and counted rather than held in memory; the engine ignores nothing it did see, and the
// next report of each server is evaluated as usual (a dropped sample only shortens a window).
// stop() evaluates what is queued, then joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/server/alerts/engine.h"

namespace serversan::alerts {

struct CommitFeedStats {
	uint64_t groups = 0;   // handed over by the writer
	uint64_t reports = 0;  // in those groups
	uint64_t dropped = 0;  // reports dropped because the queue was full
	uint64_t failures = 0; // on_committed calls that failed (the engine retries its writes)
	double max_lag_s = 0;  // longest wait between a hand-over and its evaluation's end
	uint64_t queued = 0;   // reports waiting now
};

class CommitFeed {
public:
	CommitFeed(Engine& engine, const Clock& clock, size_t max_queued_reports = 200'000);
	~CommitFeed(); // stop()
	CommitFeed(const CommitFeed&) = delete;
	CommitFeed& operator=(const CommitFeed&) = delete;

	void start();
	void stop(); // idempotent

	// The writer's after_commit: queue and return. Before start() or after stop(): evaluated at
	// once on the caller's thread (tests, and nothing is lost at shutdown).
	void push(std::vector<store::IngestBatch>&& batches, std::vector<store::IngestOutcome>&& outcomes);

	CommitFeedStats stats() const;
	// Nothing queued and no evaluation running: every group pushed so far has been evaluated.
	bool idle() const;

private:
	struct Group {
		std::vector<store::IngestBatch> batches;
		std::vector<store::IngestOutcome> outcomes;
		std::chrono::steady_clock::time_point queued;
	};
	void run();
	void evaluate(std::vector<Group>& groups);

	Engine& engine_;
	const Clock& clock_;
	const size_t max_queued_;
	mutable std::mutex mu_;
	std::condition_variable cv_;
	std::deque<Group> queue_;
	size_t queued_reports_ = 0;
	bool running_ = false;
	bool stopping_ = false;
	bool evaluating_ = false; // run() took groups off the queue and evaluates them
	std::thread thread_;
	CommitFeedStats stats_;
};

} // namespace serversan::alerts
