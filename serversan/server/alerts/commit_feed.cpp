#include "serversan/server/alerts/commit_feed.h"

#include <pthread.h>

#include "serversan/core/log.h"

namespace serversan::alerts {

namespace {

size_t reports_of(const std::vector<store::IngestBatch>& batches) {
	size_t n = 0;
	for (const auto& b : batches)
		n += b.batch.reports.size();
	return n;
}

} // namespace

CommitFeed::CommitFeed(Engine& engine, const Clock& clock, size_t max_queued_reports)
    : engine_(engine), clock_(clock), max_queued_(max_queued_reports) {}

CommitFeed::~CommitFeed() {
	stop();
}

void CommitFeed::start() {
	std::lock_guard lock(mu_);
	if (running_ || stopping_)
		return;
	running_ = true;
	thread_ = std::thread([this] {
		pthread_setname_np(pthread_self(), "ss-alerts");
		run();
	});
}

void CommitFeed::stop() {
	{
		std::lock_guard lock(mu_);
		if (stopping_)
			return;
		stopping_ = true;
	}
	cv_.notify_all();
	if (thread_.joinable())
		thread_.join();
	std::lock_guard lock(mu_);
	running_ = false;
}

void CommitFeed::push(std::vector<store::IngestBatch>&& batches,
                      std::vector<store::IngestOutcome>&& outcomes) {
	const size_t n = reports_of(batches);
	std::vector<Group> now;
	{
		std::lock_guard lock(mu_);
		++stats_.groups;
		stats_.reports += n;
		if (!running_ || stopping_) {
			now.push_back({std::move(batches), std::move(outcomes), std::chrono::steady_clock::now()});
		} else if (queued_reports_ > 0 && queued_reports_ + n > max_queued_) {
			if (stats_.dropped == 0 || stats_.dropped / 10'000 != (stats_.dropped + n) / 10'000)
				log::warn("alerts: the engine is behind the ingest ({} reports queued): {} reports "
				          "dropped so far",
				          queued_reports_, stats_.dropped + n);
			stats_.dropped += n;
			return;
		} else {
			queued_reports_ += n;
			queue_.push_back({std::move(batches), std::move(outcomes), std::chrono::steady_clock::now()});
			cv_.notify_one();
			return;
		}
	}
	evaluate(now);
}

void CommitFeed::run() {
	while (true) {
		std::vector<Group> groups;
		{
			std::unique_lock lock(mu_);
			cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
			if (queue_.empty())
				return; // stopping, and everything queued is evaluated
			while (!queue_.empty()) {
				groups.push_back(std::move(queue_.front()));
				queue_.pop_front();
			}
			queued_reports_ = 0;
			evaluating_ = true;
		}
		evaluate(groups);
		std::lock_guard lock(mu_);
		evaluating_ = false;
	}
}

void CommitFeed::evaluate(std::vector<Group>& groups) {
	if (groups.empty())
		return;
	// One engine call for everything waiting: one store write for all of its changes.
	std::vector<store::IngestBatch> batches = std::move(groups.front().batches);
	std::vector<store::IngestOutcome> outcomes = std::move(groups.front().outcomes);
	for (size_t i = 1; i < groups.size(); ++i) {
		for (auto& b : groups[i].batches)
			batches.push_back(std::move(b));
		outcomes.insert(outcomes.end(), groups[i].outcomes.begin(), groups[i].outcomes.end());
	}
	auto r = engine_.on_committed(batches, outcomes, clock_.unix_millis());
	const double lag =
	    std::chrono::duration<double>(std::chrono::steady_clock::now() - groups.front().queued).count();
	std::lock_guard lock(mu_);
	stats_.max_lag_s = std::max(stats_.max_lag_s, lag);
	if (!r.ok()) {
		if (stats_.failures++ % 100 == 0) // the store is down: not one line per group
			log::warn("alerts: evaluating committed reports: {}", r.error().message);
	}
}

bool CommitFeed::idle() const {
	std::lock_guard lock(mu_);
	return queue_.empty() && !evaluating_;
}

CommitFeedStats CommitFeed::stats() const {
	std::lock_guard lock(mu_);
	CommitFeedStats s = stats_;
	s.queued = queued_reports_;
	return s;
}

} // namespace serversan::alerts
