// Online backups (consistent while ingest writes, integrity-checked, mode 0600, never over an
// existing file) and the stats behind `db stats`.
#include <atomic>
#include <fstream>
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
		EXPECT_EQ(count_in(copy, "PRAGMA user_version"), 3);
	}
	stop = true;
	writer.join();
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
	EXPECT_EQ(st.schema_version, 3);
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
