// Online backups (consistent while ingest writes, integrity-checked, mode 0600, never over an
// existing file, the WAL bounded while they run) and the stats behind `db stats`.
#include <atomic>
#include <csignal>
#include <fstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

int64_t count_in(const std::string& path, const std::string& sql) {
	sqlite3* db = nullptr;
	EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
	sqlite3_stmt* s = nullptr;
	EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
	int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

uint64_t size_of(const std::string& path) {
	std::error_code ec;
	auto n = std::filesystem::file_size(path, ec);
	return ec ? 0 : n;
}

// Reports a minute apart in sequence order, as an agent sends them (so a batch touches the end of
// the time index, not a leaf per report).
ReportBatch batch_at(uint64_t seq, size_t n) {
	return serversan::testing::sample_batch(seq, n, T0 + static_cast<int64_t>(seq) * kMinuteMs);
}

// A small checkpoint, so a database of a few MB is many checkpoints' worth.
constexpr int kCheckpointPages = 50;
constexpr uint64_t kCheckpointBytes = kCheckpointPages * 4096;

StoreOptions small_wal(const std::string& path) {
	StoreOptions o;
	o.path = path;
	o.wal_checkpoint_pages = kCheckpointPages;
	return o;
}

// Appends batches of kBatch reports to one server until stopped, as ingest does, and watches the
// WAL file's size meanwhile.
class Ingest {
public:
	static constexpr size_t kBatch = 500;
	Ingest(Store& s, std::string wal, uint64_t id, uint64_t first_seq) : s_(s), wal_(std::move(wal)) {
		writer_ = std::thread([this, id, first_seq] {
			uint64_t seq = first_seq;
			while (!stop_.load()) {
				auto r = s_.append({{id, batch_at(seq, kBatch), T0}});
				ASSERT_TRUE(r.ok()) << r.error().message;
				seq += kBatch;
				++batches_;
			}
		});
		watcher_ = std::thread([this] {
			while (!stop_.load()) {
				uint64_t n = size_of(wal_);
				if (n > max_wal_.load())
					max_wal_ = n;
				std::this_thread::sleep_for(std::chrono::microseconds(200));
			}
		});
	}
	~Ingest() { stop(); }
	void stop() {
		stop_ = true;
		if (writer_.joinable())
			writer_.join();
		if (watcher_.joinable())
			watcher_.join();
	}
	void wait_batches(int n) const {
		for (int target = batches_.load() + n; batches_.load() < target;)
			std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
	// The largest WAL seen since the last call.
	uint64_t take_max_wal() { return max_wal_.exchange(0); }

private:
	Store& s_;
	std::string wal_;
	std::atomic<bool> stop_{false};
	std::atomic<int> batches_{0};
	std::atomic<uint64_t> max_wal_{0};
	std::thread writer_, watcher_;
};

// A store with one server and a database of about `mb` MB: many times the checkpoint, so a copy
// takes many steps.
struct FilledStore {
	explicit FilledStore(int mb) {
		id = s->create_server(std::nullopt, "x", SigningKey{}, T0).value();
		for (int i = 0; i < mb * 4; ++i) { // about 250 KB per batch of 1500
			EXPECT_TRUE(s->append({{id, batch_at(next, 1500), T0}}).ok());
			next += 1500;
		}
	}
	int64_t rows() const { return static_cast<int64_t>(next - 1); }
	TempDir dir;
	std::string db = dir.file("serversan.db");
	std::unique_ptr<Store> s = open_store(small_wal(db)).value();
	uint64_t id = 0;
	uint64_t next = 1; // the next sequence number
};

// A prefix of what was appended: the `filled` rows, then whole batches of the writer only, the
// sequence window agreeing with the rows, and integrity_check passing.
void expect_consistent_copy(const std::string& copy, int64_t filled) {
	int64_t rows = count_in(copy, "SELECT count(*) FROM samples");
	EXPECT_GE(rows, filled);
	EXPECT_EQ((rows - filled) % static_cast<int64_t>(Ingest::kBatch), 0) << rows;
	EXPECT_EQ(count_in(copy, "SELECT high_seq FROM streams"), rows);
	EXPECT_EQ(count_in(copy, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

} // namespace

TEST(StoreBackup, CopiesAreConsistentWhileIngestWrites) {
	TempDir dir;
	auto s = open_sqlite_store(dir.file("serversan.db")).value();
	uint64_t id = s->create_server(std::nullopt, "x", SigningKey{}, T0).value();
	constexpr size_t kBatch = 50;
	std::atomic<bool> stop{false};
	std::atomic<int> batches{0};
	std::thread writer([&] {
		uint64_t seq = 1;
		while (!stop.load() && batches.load() < 400) {
			auto r = s->append({{id, serversan::testing::sample_batch(seq, kBatch, T0), T0}});
			ASSERT_TRUE(r.ok()) << r.error().message;
			seq += kBatch;
			++batches;
		}
	});
	for (int i = 0; i < 3; ++i) {
		while (batches.load() < 5 * (i + 1))
			std::this_thread::yield();
		std::string copy = dir.file("copy-" + std::to_string(i) + ".db");
		auto info = s->backup(copy);
		ASSERT_TRUE(info.ok()) << info.error().message;
		EXPECT_EQ(info->integrity, "ok");
		EXPECT_GT(info->bytes, 0u);
		struct stat st {};
		ASSERT_EQ(::stat(copy.c_str(), &st), 0);
		EXPECT_EQ(st.st_mode & 0777, 0600u);
		EXPECT_FALSE(std::filesystem::exists(copy + "-wal"));
		// A snapshot: whole batches only, and the sequence window agrees with the rows.
		int64_t rows = count_in(copy, "SELECT count(*) FROM samples");
		EXPECT_GT(rows, 0);
		EXPECT_EQ(rows % static_cast<int64_t>(kBatch), 0);
		EXPECT_EQ(count_in(copy, "SELECT high_seq FROM streams"), rows);
		EXPECT_EQ(count_in(copy, "PRAGMA user_version"), serversan::testing::latest_schema_version());
	}
	stop = true;
	writer.join();
}

// Issue 18: VACUUM INTO held one read transaction for the whole copy, so no checkpoint could
// reset the WAL meanwhile and it grew by everything ingest wrote (995 MB with a backup every 30 s
// under load). Stepped on the writer's connection, the copy leaves the WAL near one checkpoint.
TEST(StoreBackup, WalStaysBoundedWhileACopyRunsBesideIngest) {
	FilledStore f(24);
	Ingest ingest(*f.s, f.db + "-wal", f.id, f.next);
	ingest.wait_batches(20);
	uint64_t before = ingest.take_max_wal(); // the WAL without a copy running
	std::string copy = f.dir.file("copy.db");
	auto info = f.s->backup(copy);
	uint64_t during = ingest.take_max_wal();
	ingest.wait_batches(20);
	ingest.stop();
	ASSERT_TRUE(info.ok()) << info.error().message;
	EXPECT_EQ(info->integrity, "ok");
	EXPECT_GT(info->bytes, 16u << 20);
	std::printf("WAL: %llu bytes without a copy, %llu while it ran\n",
	            static_cast<unsigned long long>(before), static_cast<unsigned long long>(during));
	EXPECT_LE(during, 4 * kCheckpointBytes);
	expect_consistent_copy(copy, f.rows());
	EXPECT_FALSE(std::filesystem::exists(copy + "-wal"));
	EXPECT_FALSE(std::filesystem::exists(copy + "-journal"));
}

// `db backup` from the CLI beside a running server: the copy's connection is not the writer's, so
// SQLite restarts it at each of the other's commits; it still finishes, in one pass, and once that
// pass is over the writer cuts the WAL back (journal_size_limit).
TEST(StoreBackup, CopyFinishesWhileAnotherConnectionWrites) {
	FilledStore f(24); // f.s plays the server
	auto cli = open_store(small_wal(f.db)).value();
	Ingest ingest(*f.s, f.db + "-wal", f.id, f.next);
	ingest.wait_batches(20);
	std::string copy = f.dir.file("copy.db");
	auto info = cli->backup(copy);
	ASSERT_TRUE(info.ok()) << info.error().message;
	EXPECT_EQ(info->integrity, "ok");
	ingest.wait_batches(50);
	ingest.take_max_wal();
	ingest.wait_batches(50);
	uint64_t after = ingest.take_max_wal();
	ingest.stop();
	EXPECT_LE(after, 4 * kCheckpointBytes);
	expect_consistent_copy(copy, f.rows());
}

TEST(StoreBackup, NeverOverwritesAFile) {
	TempDir dir;
	auto s = open_sqlite_store(dir.file("serversan.db")).value();
	std::string dest = dir.file("old-backup.db");
	{ std::ofstream(dest) << "precious"; }
	auto r = s->backup(dest);
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message.find("cannot create"), std::string::npos) << r.error().message;
	std::ifstream f(dest);
	std::string text;
	f >> text;
	EXPECT_EQ(text, "precious");
	EXPECT_FALSE(s->backup(dir.file("no/such/dir/x.db")).ok());
}

// Bad targets get a clear error and cost nothing: the database itself, its WAL, a name with a
// journal or WAL left beside it (it would be read as part of the copy), a full disk.
TEST(StoreBackup, BadTargetsLoseNothing) {
	FilledStore f(4);
	auto& s = f.s;
	const std::string& db = f.db;
	const TempDir& dir = f.dir;
	int64_t rows = f.rows();
	for (const std::string& target : {db, db + "-wal"}) {
		auto r = s->backup(target);
		ASSERT_FALSE(r.ok()) << target;
		EXPECT_NE(r.error().message.find("cannot create " + target), std::string::npos) << r.error().message;
	}
	{ std::ofstream(dir.file("stale.db-wal")) << "not ours"; }
	auto stale = s->backup(dir.file("stale.db"));
	ASSERT_FALSE(stale.ok());
	EXPECT_NE(stale.error().message.find("stale.db-wal exists"), std::string::npos) << stale.error().message;
	EXPECT_FALSE(std::filesystem::exists(dir.file("stale.db")));
	EXPECT_TRUE(std::filesystem::exists(dir.file("stale.db-wal")));

	// A full disk: files of this process may not grow past 1 MB (the database is 4 MB and not
	// written meanwhile).
	std::string full = dir.file("full.db");
	struct rlimit old {};
	ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
	auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
	struct rlimit small = old;
	small.rlim_cur = 1 << 20;
	ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
	auto r = s->backup(full);
	::setrlimit(RLIMIT_FSIZE, &old);
	std::signal(SIGXFSZ, old_handler);
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message.find("backup to " + full + " failed"), std::string::npos)
	    << r.error().message;
	for (const char* suffix : {"", "-journal", "-wal", "-shm"})
		EXPECT_FALSE(std::filesystem::exists(full + suffix)) << suffix;

	// The database is as it was, and takes reports and copies as before.
	EXPECT_EQ(count_in(db, "SELECT count(*) FROM samples"), rows);
	ASSERT_TRUE(s->append({{f.id, batch_at(f.next, 10), T0}}).ok());
	auto good = s->backup(dir.file("good.db"));
	ASSERT_TRUE(good.ok()) << good.error().message;
	EXPECT_EQ(count_in(dir.file("good.db"), "SELECT count(*) FROM samples"), rows + 10);
}

TEST(StoreStats, SizesPerTableAndTierAndPerServerDay) {
	TempDir dir;
	auto s = open_sqlite_store(dir.file("serversan.db")).value();
	for (int k = 0; k < 3; ++k) {
		uint64_t id = s->create_server(std::nullopt, "s" + std::to_string(k), SigningKey{}, T0).value();
		ASSERT_TRUE(s->append({{id, serversan::testing::sample_batch(1, 240, T0), T0}}).ok()); // 4 hours
	}
	for (int i = 0; i < 100; ++i) {
		auto p = s->rollup(T0 + 5 * kHourMs, {}).value();
		if (!p.more)
			break;
	}
	auto st = s->stats().value();
	EXPECT_EQ(st.schema_version, serversan::testing::latest_schema_version());
	EXPECT_EQ(st.servers, 3u);
	EXPECT_GT(st.file_bytes + st.wal_bytes, 0u);
	EXPECT_NE(st.engine.find("sqlite 3."), std::string::npos);
	bool saw_samples = false;
	for (const TableStats& t : st.tables) {
		if (t.name == "samples") {
			saw_samples = true;
			EXPECT_EQ(t.rows, 720u);
			EXPECT_EQ(t.tier, "raw");
			EXPECT_GT(t.bytes, 720u * 50);
		}
		if (t.name == "rollup_dev_5m") {
			EXPECT_EQ(t.tier, "5m");
		}
	}
	EXPECT_TRUE(saw_samples);
	ASSERT_EQ(st.tiers.size(), 3u);
	const TierStats& raw = st.tiers[0];
	EXPECT_EQ(raw.tier, Tier::raw);
	EXPECT_EQ(raw.servers, 3u);
	EXPECT_EQ(raw.span_ms, 239 * kMinuteMs);
	EXPECT_GT(raw.bytes_per_server_day, 0);
	const TierStats& m5 = st.tiers[1];
	EXPECT_EQ(m5.rows, 3u * 48 * 2); // 48 buckets per server, main and one device row each
	EXPECT_EQ(m5.span_ms, 4 * kHourMs);
	EXPECT_EQ(st.tiers[2].retention_ms, 180 * kDayMs);
}
