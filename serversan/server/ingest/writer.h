// Writer: the single thread that commits verified batches to the store, many requests per
// transaction (group commit). The store runs SQLite in WAL mode with synchronous=FULL, so every
// commit costs an fsync (about 134 us here, reliability.md 3.1); paying it once per group instead
// of once per request is what makes "acknowledged means durable" affordable.
//
// No artificial delay: while one transaction runs, new requests queue up, and the next
// transaction takes all of them (up to max_group_reports). The queue is bounded (in reports):
// when it is full submit() says so at once and the caller answers 503 with Retry-After, instead
// of holding memory and connections for work it cannot do soon.
//
// Each job's `done` runs exactly once, on the writer thread, after its transaction returned:
//  - stored: committed (durable); the caller may answer 200;
//  - key_changed: the server's signing key is no longer the one the request was verified with
//    (token rotated or server deleted since): nothing stored, the caller answers 401;
//  - failed: the transaction failed; nothing of the job is stored, the caller answers 503.
// A failed group is retried one batch per transaction, so one batch the store cannot take does
// not fail the others; after a few consecutive failures the rest of the group fails at once
// (the cause is then the store, not a batch: a full disk, an I/O error).
//
// Key check: each batch carries the version of the key its request was verified with, and the
// store's append compares it with the stored one inside the transaction (key_cache.h says why);
// a changed key comes back as key_changed. Checking it here instead, with one read per server
// before each group, cost about as much as the commit itself.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/core/token.h"
#include "serversan/server/ingest/metrics.h"
#include "serversan/server/store/store.h"

namespace serversan::ingest {

// Called after a group's acknowledgements with what it stored (batches that failed are left out,
// those with a changed key kept: their outcome says so), oldest first, handed over by move. It runs
// on the writer thread before the next group: hand the work to another thread (alerts do).
using CommitHook = std::function<void(std::vector<store::IngestBatch>&& batches,
                                      std::vector<store::IngestOutcome>&& outcomes)>;

// What the writer needs from the store, as a function, so tests can inject failures; after_commit
// (optional) is who reads the committed reports next (the alert engine, through main.cpp).
struct WriterBackend {
	std::function<Result<std::vector<store::IngestOutcome>>(const std::vector<store::IngestBatch>&)> append;
	CommitHook after_commit;
};
WriterBackend store_backend(store::Store& store, CommitHook after_commit = {});

enum class WriteStatus { stored, key_changed, failed };

struct WriteResult {
	WriteStatus status = WriteStatus::failed;
	store::IngestOutcome outcome; // when stored
};

struct WriteJob {
	store::IngestBatch batch; // batch.key_version: the key the request's MAC verified with
	std::function<void(const WriteResult&)> done;
};

struct WriterOptions {
	size_t max_queue_reports = 50'000;
	size_t max_group_reports = 2'000;
	int max_consecutive_failures = 3; // when retrying a failed group batch by batch
};

// One group, synchronously: one transaction, per-batch retry on failure; calls every
// job's done, then the backend's after_commit. Used by the writer thread, and by IngestService when it has no
// writer (tests).
void commit_group(const WriterBackend& backend, std::vector<WriteJob>& jobs, const WriterOptions& options,
                  IngestMetrics& metrics);

class Writer {
public:
	Writer(WriterBackend backend, WriterOptions options, IngestMetrics& metrics);
	~Writer();
	Writer(const Writer&) = delete;
	Writer& operator=(const Writer&) = delete;

	void start();
	// Refuses new jobs, commits the queued ones, joins the thread. Idempotent.
	void stop();

	enum class Submit { queued, full, stopped };
	// On anything but `queued` the job is dropped without calling done.
	Submit submit(WriteJob job);

	size_t queued_reports() const;
	size_t queued_batches() const;
	// Nothing queued and no group in its transaction or its after_commit: every request answered so
	// far has been handed on (the test clock waits for this before it moves time, main.cpp).
	bool idle() const;
	const WriterOptions& options() const { return options_; }

private:
	void run();

	WriterBackend backend_;
	WriterOptions options_;
	IngestMetrics& metrics_;
	mutable std::mutex mu_;
	std::condition_variable cv_;
	std::deque<WriteJob> queue_;
	size_t queued_reports_ = 0;
	bool stopping_ = false;
	bool started_ = false;
	bool committing_ = false; // a group taken off the queue is being committed
	std::thread thread_;
};

} // namespace serversan::ingest
