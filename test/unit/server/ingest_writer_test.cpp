// The writer: group commit (many requests, one transaction), a bounded queue, errors that
// acknowledge nothing, the key check that makes rotation immediate, and a clean stop. The store is
// replaced by functions here, so failures can be injected; ingest_service_test.cpp and
// ingest_http_test.cpp run the writer against the real SQLite store.
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "serversan/server/ingest/writer.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::ingest;
using namespace serversan::testing;
using namespace std::chrono_literals;

namespace {

// Key versions stand for keys here: the store compares versions (key_cache.h).
uint64_t key_of(uint8_t b) {
	return b;
}

// An in-memory store that records transactions and can be held, failed or poisoned.
struct FakeBackend {
	std::mutex mu;
	std::condition_variable cv;
	bool hold = false; // append waits while true
	int in_append = 0; // appends waiting or running
	bool fail_all = false;
	uint64_t poison_server = 0;        // any transaction containing it fails
	std::map<uint64_t, uint64_t> keys; // current key version per server
	std::vector<size_t> transactions;  // batches per successful transaction
	std::vector<uint64_t> stored;      // server ids of stored batches, in commit order
	int attempts = 0;

	WriterBackend backend() {
		WriterBackend b;
		b.append =
		    [this](
		        const std::vector<store::IngestBatch>& batches) -> Result<std::vector<store::IngestOutcome>> {
			std::unique_lock lock(mu);
			++in_append;
			cv.notify_all();
			cv.wait(lock, [&] { return !hold; });
			--in_append;
			++attempts;
			if (fail_all)
				return Err("disk I/O error");
			for (const auto& x : batches)
				if (x.server_id == poison_server)
					return Err("constraint failed");
			transactions.push_back(batches.size());
			std::vector<store::IngestOutcome> out;
			for (const auto& x : batches) {
				auto it = keys.find(x.server_id);
				if (x.key_version && (it == keys.end() || it->second != *x.key_version)) {
					store::IngestOutcome o;
					o.key_changed = true;
					out.push_back(o);
					continue;
				}
				stored.push_back(x.server_id);
				out.push_back({x.batch.reports.size(), 0, 0});
			}
			return out;
		};
		return b;
	}

	void set_hold(bool h) {
		std::lock_guard lock(mu);
		hold = h;
		cv.notify_all();
	}
	void wait_in_append() {
		std::unique_lock lock(mu);
		cv.wait(lock, [&] { return in_append > 0; });
	}
};

struct Collected {
	std::mutex mu;
	std::condition_variable cv;
	std::vector<std::pair<uint64_t, WriteResult>> results;

	std::function<void(const WriteResult&)> on(uint64_t tag) {
		return [this, tag](const WriteResult& r) {
			std::lock_guard lock(mu);
			results.emplace_back(tag, r);
			cv.notify_all();
		};
	}
	void wait_for(size_t n) {
		std::unique_lock lock(mu);
		ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return results.size() >= n; })) << results.size();
	}
	WriteStatus status(uint64_t tag) {
		std::lock_guard lock(mu);
		for (auto& [t, r] : results)
			if (t == tag)
				return r.status;
		ADD_FAILURE() << "no result for " << tag;
		return WriteStatus::failed;
	}
};

WriteJob job(uint64_t server, uint64_t key_version, std::function<void(const WriteResult&)> done,
             size_t reports = 1) {
	return WriteJob{{server, sample_batch(1, reports, 1'764'000'000'000), 0, key_version}, std::move(done)};
}

} // namespace

TEST(Writer, RequestsArrivingDuringACommitShareTheNextTransaction) {
	FakeBackend fake;
	for (uint64_t id = 1; id <= 50; ++id)
		fake.keys[id] = key_of(1);
	IngestMetrics metrics;
	Writer writer(fake.backend(), {}, metrics);
	writer.start();
	Collected c;
	fake.set_hold(true);
	ASSERT_EQ(writer.submit(job(1, key_of(1), c.on(1))), Writer::Submit::queued);
	fake.wait_in_append(); // the first transaction is "in its fsync"
	for (uint64_t id = 2; id <= 50; ++id)
		ASSERT_EQ(writer.submit(job(id, key_of(1), c.on(id))), Writer::Submit::queued);
	EXPECT_EQ(writer.queued_batches(), 49u);
	EXPECT_EQ(writer.queued_reports(), 49u);
	fake.set_hold(false);
	c.wait_for(50);
	EXPECT_EQ(fake.transactions, (std::vector<size_t>{1, 49}));
	for (uint64_t id = 1; id <= 50; ++id)
		EXPECT_EQ(c.status(id), WriteStatus::stored);
	EXPECT_EQ(metrics.group_batches.count(), 2u);
	EXPECT_EQ(metrics.commits.load(), 2u);
	EXPECT_EQ(writer.queued_reports(), 0u);
}

TEST(Writer, GroupsRespectTheReportLimit) {
	FakeBackend fake;
	fake.keys[1] = key_of(1);
	IngestMetrics metrics;
	WriterOptions o;
	o.max_group_reports = 10;
	Writer writer(fake.backend(), o, metrics);
	writer.start();
	Collected c;
	fake.set_hold(true);
	ASSERT_EQ(writer.submit(job(1, key_of(1), c.on(0))), Writer::Submit::queued);
	fake.wait_in_append();
	for (uint64_t i = 1; i <= 6; ++i) // 6 batches of 4 reports: 2 per transaction
		ASSERT_EQ(writer.submit(job(1, key_of(1), c.on(i), 4)), Writer::Submit::queued);
	fake.set_hold(false);
	c.wait_for(7);
	EXPECT_EQ(fake.transactions, (std::vector<size_t>{1, 2, 2, 2}));
}

TEST(Writer, FullQueueRefusesAtOnce) {
	FakeBackend fake;
	fake.keys[1] = key_of(1);
	IngestMetrics metrics;
	WriterOptions o;
	o.max_queue_reports = 5;
	Writer writer(fake.backend(), o, metrics);
	writer.start();
	Collected c;
	fake.set_hold(true);
	ASSERT_EQ(writer.submit(job(1, key_of(1), c.on(0))), Writer::Submit::queued);
	fake.wait_in_append();
	EXPECT_EQ(writer.submit(job(1, key_of(1), c.on(1), 3)), Writer::Submit::queued);
	EXPECT_EQ(writer.submit(job(1, key_of(1), c.on(2), 2)), Writer::Submit::queued);
	EXPECT_EQ(writer.submit(job(1, key_of(1), c.on(3), 1)), Writer::Submit::full);
	fake.set_hold(false);
	c.wait_for(3);
	// A batch larger than the whole queue still goes through an empty queue.
	std::promise<WriteStatus> big;
	ASSERT_EQ(writer.submit(job(
	              1, key_of(1), [&](const WriteResult& r) { big.set_value(r.status); }, 50)),
	          Writer::Submit::queued);
	EXPECT_EQ(big.get_future().get(), WriteStatus::stored);
}

TEST(Writer, StoreErrorsAcknowledgeNothing) {
	FakeBackend fake;
	fake.keys[1] = key_of(1);
	fake.fail_all = true;
	IngestMetrics metrics;
	std::vector<WriteJob> jobs;
	Collected c;
	for (uint64_t i = 0; i < 10; ++i)
		jobs.push_back(job(1, key_of(1), c.on(i)));
	commit_group(fake.backend(), jobs, {}, metrics);
	for (uint64_t i = 0; i < 10; ++i)
		EXPECT_EQ(c.status(i), WriteStatus::failed);
	EXPECT_TRUE(fake.stored.empty());
	// One group attempt, then a few single ones until the failures look systemic.
	EXPECT_EQ(fake.attempts, 1 + WriterOptions{}.max_consecutive_failures);
	EXPECT_EQ(metrics.commit_errors.load(), static_cast<uint64_t>(fake.attempts));
}

TEST(Writer, OneBadBatchDoesNotFailTheOthers) {
	FakeBackend fake;
	for (uint64_t id = 1; id <= 5; ++id)
		fake.keys[id] = key_of(1);
	fake.poison_server = 3;
	IngestMetrics metrics;
	std::vector<WriteJob> jobs;
	Collected c;
	for (uint64_t id = 1; id <= 5; ++id)
		jobs.push_back(job(id, key_of(1), c.on(id)));
	commit_group(fake.backend(), jobs, {}, metrics);
	for (uint64_t id = 1; id <= 5; ++id)
		EXPECT_EQ(c.status(id), id == 3 ? WriteStatus::failed : WriteStatus::stored) << id;
	EXPECT_EQ(fake.stored, (std::vector<uint64_t>{1, 2, 4, 5}));
}

TEST(Writer, ChangedOrMissingKeysAreRefusedAndNotStored) {
	FakeBackend fake;
	fake.keys[1] = key_of(1);
	fake.keys[2] = key_of(9); // rotated since the request was verified
	IngestMetrics metrics;
	std::vector<WriteJob> jobs;
	Collected c;
	jobs.push_back(job(1, key_of(1), c.on(1)));
	jobs.push_back(job(2, key_of(2), c.on(2)));
	jobs.push_back(job(3, key_of(3), c.on(3))); // deleted since
	commit_group(fake.backend(), jobs, {}, metrics);
	EXPECT_EQ(c.status(1), WriteStatus::stored);
	EXPECT_EQ(c.status(2), WriteStatus::key_changed);
	EXPECT_EQ(c.status(3), WriteStatus::key_changed);
	EXPECT_EQ(fake.stored, (std::vector<uint64_t>{1}));
}

TEST(Writer, StopCommitsWhatIsQueuedAndRefusesTheRest) {
	FakeBackend fake;
	fake.keys[1] = key_of(1);
	IngestMetrics metrics;
	Writer writer(fake.backend(), {}, metrics);
	Collected c;
	EXPECT_EQ(writer.submit(job(1, key_of(1), c.on(0))), Writer::Submit::stopped); // not started
	writer.start();
	fake.set_hold(true);
	ASSERT_EQ(writer.submit(job(1, key_of(1), c.on(1))), Writer::Submit::queued);
	fake.wait_in_append();
	ASSERT_EQ(writer.submit(job(1, key_of(1), c.on(2))), Writer::Submit::queued);
	std::thread releaser([&] {
		std::this_thread::sleep_for(50ms);
		fake.set_hold(false);
	});
	writer.stop();
	releaser.join();
	EXPECT_EQ(writer.submit(job(1, key_of(1), c.on(3))), Writer::Submit::stopped);
	c.wait_for(2);
	EXPECT_EQ(c.status(1), WriteStatus::stored);
	EXPECT_EQ(c.status(2), WriteStatus::stored);
	EXPECT_EQ(fake.stored.size(), 2u);
}

TEST(Writer, ManyThreadsSubmitting) {
	FakeBackend fake;
	for (uint64_t id = 1; id <= 8; ++id)
		fake.keys[id] = key_of(1);
	IngestMetrics metrics;
	Writer writer(fake.backend(), {}, metrics);
	writer.start();
	Collected c;
	fake.set_hold(true); // everything queues behind the first transaction
	std::vector<std::thread> threads;
	for (uint64_t t = 1; t <= 8; ++t)
		threads.emplace_back([&, t] {
			for (uint64_t i = 0; i < 200; ++i)
				while (writer.submit(job(t, key_of(1), c.on(t * 1000 + i))) != Writer::Submit::queued)
					std::this_thread::yield();
		});
	for (auto& t : threads)
		t.join();
	fake.set_hold(false);
	c.wait_for(1600);
	writer.stop();
	EXPECT_EQ(fake.stored.size(), 1600u);
	size_t in_transactions = 0;
	for (size_t n : fake.transactions)
		in_transactions += n;
	EXPECT_EQ(in_transactions, 1600u);
	EXPECT_LE(fake.transactions.size(), 2u); // whatever came first, then all the rest
}

// The alert engine reads committed reports through after_commit: once per group, after every
// acknowledgement, with exactly the batches that were stored (the retry path's too).
TEST(Writer, AfterCommitGetsTheStoredBatchesAfterTheAcks) {
	FakeBackend fake;
	for (uint64_t id = 1; id <= 5; ++id)
		fake.keys[id] = key_of(1);
	fake.poison_server = 3; // the group fails, then each batch gets its own transaction
	IngestMetrics metrics;
	Collected c;
	std::vector<std::vector<uint64_t>> calls;
	size_t acked_before = 0;
	WriterBackend backend = fake.backend();
	backend.after_commit = [&](std::vector<store::IngestBatch>&& batches,
	                           std::vector<store::IngestOutcome>&& outcomes) {
		acked_before = c.results.size();
		ASSERT_EQ(batches.size(), outcomes.size());
		std::vector<uint64_t> ids;
		for (const auto& b : batches) {
			EXPECT_EQ(b.batch.reports.size(), 1u);
			ids.push_back(b.server_id);
		}
		calls.push_back(ids);
	};
	std::vector<WriteJob> jobs;
	for (uint64_t id = 1; id <= 5; ++id)
		jobs.push_back(job(id, key_of(1), c.on(id)));
	commit_group(backend, jobs, {}, metrics);
	ASSERT_EQ(calls.size(), 1u);
	EXPECT_EQ(calls[0], (std::vector<uint64_t>{1, 2, 4, 5}));
	EXPECT_EQ(acked_before, 5u);

	// A group that stores nothing hands over nothing.
	fake.fail_all = true;
	jobs.clear();
	jobs.push_back(job(1, key_of(1), c.on(9)));
	commit_group(backend, jobs, {}, metrics);
	EXPECT_EQ(calls.size(), 1u);
}
