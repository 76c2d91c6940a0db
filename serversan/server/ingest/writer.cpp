#include "serversan/server/ingest/writer.h"

#include <algorithm>
#include <chrono>
#include <pthread.h>

#include "serversan/core/log.h"

namespace serversan::ingest {

namespace {

size_t weight(const WriteJob& job) {
	return std::max<size_t>(1, job.batch.batch.reports.size());
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

WriteResult outcome_result(const store::IngestOutcome& o) {
	return WriteResult{o.key_changed ? WriteStatus::key_changed : WriteStatus::stored, o};
}

} // namespace

WriterBackend store_backend(store::Store& store, CommitHook after_commit) {
	WriterBackend b;
	b.append = [&store](const std::vector<store::IngestBatch>& batches) { return store.append(batches); };
	b.after_commit = std::move(after_commit);
	return b;
}

void commit_group(const WriterBackend& backend, std::vector<WriteJob>& jobs, const WriterOptions& options,
                  IngestMetrics& metrics) {
	std::vector<WriteResult> results(jobs.size());
	// batches[k] is jobs[k]'s.
	std::vector<store::IngestBatch> batches;
	size_t reports = 0;
	for (auto& job : jobs) {
		reports += job.batch.batch.reports.size();
		batches.push_back(std::move(job.batch));
	}

	if (!batches.empty()) {
		metrics.group_batches.observe(static_cast<double>(batches.size()));
		metrics.group_reports.observe(static_cast<double>(reports));
		auto append = [&](const std::vector<store::IngestBatch>& part) {
			auto t0 = std::chrono::steady_clock::now();
			auto r = backend.append(part);
			metrics.commit_seconds.observe(seconds_since(t0));
			metrics.commits.fetch_add(1, std::memory_order_relaxed);
			if (r.ok() && r->size() != part.size())
				return Result<std::vector<store::IngestOutcome>>(
				    Err("store returned a wrong number of outcomes"));
			if (!r.ok())
				metrics.commit_errors.fetch_add(1, std::memory_order_relaxed);
			return r;
		};
		auto stored = append(batches);
		if (stored.ok()) {
			for (size_t k = 0; k < batches.size(); ++k)
				results[k] = outcome_result((*stored)[k]);
		} else if (batches.size() == 1) {
			log::error("ingest writer: storing a batch of server {} failed: {}", batches[0].server_id,
			           stored.error().message);
		} else {
			// Maybe one batch is the problem: give every other one its own transaction.
			size_t ok = 0, failed = 0;
			int consecutive = 0;
			std::string last_error = stored.error().message;
			for (size_t k = 0; k < batches.size(); ++k) {
				if (consecutive >= options.max_consecutive_failures) {
					++failed;
					continue;
				}
				std::vector<store::IngestBatch> one;
				one.push_back(std::move(batches[k]));
				auto r = append(one);
				batches[k] = std::move(one.front()); // for after_commit
				if (r.ok()) {
					results[k] = outcome_result(r->front());
					consecutive = 0;
					++ok;
				} else {
					last_error = r.error().message;
					++consecutive;
					++failed;
				}
			}
			log::error("ingest writer: a transaction of {} batches failed ({}); retried one by one: {} "
			           "stored, {} not stored (last error: {})",
			           batches.size(), stored.error().message, ok, failed, last_error);
		}
	}

	for (size_t i = 0; i < jobs.size(); ++i)
		jobs[i].done(results[i]);

	// After the acks: whatever reads the reports next never delays an answer.
	if (backend.after_commit) {
		std::vector<store::IngestBatch> committed;
		std::vector<store::IngestOutcome> outcomes;
		for (size_t k = 0; k < batches.size(); ++k) {
			if (results[k].status == WriteStatus::failed)
				continue;
			committed.push_back(std::move(batches[k]));
			outcomes.push_back(results[k].outcome);
		}
		if (!committed.empty())
			backend.after_commit(std::move(committed), std::move(outcomes));
	}
}

Writer::Writer(WriterBackend backend, WriterOptions options, IngestMetrics& metrics)
    : backend_(std::move(backend)), options_(options), metrics_(metrics) {}

Writer::~Writer() {
	stop();
}

void Writer::start() {
	std::lock_guard lock(mu_);
	if (started_)
		return;
	started_ = true;
	thread_ = std::thread([this] {
		pthread_setname_np(pthread_self(), "ss-writer"); // for top -H, perf and gdb
		run();
	});
}

void Writer::stop() {
	{
		std::lock_guard lock(mu_);
		if (stopping_)
			return;
		stopping_ = true;
	}
	cv_.notify_all();
	if (thread_.joinable())
		thread_.join();
}

Writer::Submit Writer::submit(WriteJob job) {
	std::lock_guard lock(mu_);
	if (stopping_ || !started_)
		return Submit::stopped;
	size_t n = weight(job);
	// A batch bigger than the whole queue still goes through when the queue is empty.
	if (queued_reports_ > 0 && queued_reports_ + n > options_.max_queue_reports)
		return Submit::full;
	queued_reports_ += n;
	queue_.push_back(std::move(job));
	cv_.notify_one();
	return Submit::queued;
}

size_t Writer::queued_reports() const {
	std::lock_guard lock(mu_);
	return queued_reports_;
}

size_t Writer::queued_batches() const {
	std::lock_guard lock(mu_);
	return queue_.size();
}

bool Writer::idle() const {
	std::lock_guard lock(mu_);
	return queue_.empty() && !committing_;
}

void Writer::run() {
	while (true) {
		std::vector<WriteJob> group;
		{
			std::unique_lock lock(mu_);
			cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
			if (queue_.empty())
				return; // stopping, and everything queued is committed
			size_t reports = 0;
			while (!queue_.empty() &&
			       (group.empty() || reports + weight(queue_.front()) <= options_.max_group_reports)) {
				reports += weight(queue_.front());
				group.push_back(std::move(queue_.front()));
				queue_.pop_front();
			}
			queued_reports_ -= reports;
			committing_ = true;
		}
		commit_group(backend_, group, options_, metrics_);
		std::lock_guard lock(mu_);
		committing_ = false;
	}
}

} // namespace serversan::ingest
