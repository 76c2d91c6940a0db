#include <filesystem>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::testing;

namespace {
SigningKey key_of(uint8_t b) {
	SigningKey k{};
	k.fill(b);
	return k;
}

void set_user_version(const std::string& path, int v) {
	sqlite3* db = nullptr;
	ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
	ASSERT_EQ(
	    sqlite3_exec(db, ("PRAGMA user_version=" + std::to_string(v)).c_str(), nullptr, nullptr, nullptr),
	    SQLITE_OK);
	sqlite3_close(db);
}
} // namespace

TEST(SqliteStore, ServersCrud) {
	TempDir dir;
	auto s = store::open_sqlite_store(dir.file("a.db")).value();
	auto id = s->create_server(std::optional<int64_t>{12345}, "web-1", key_of(1), 1000).value();
	auto id2 = s->create_server(std::nullopt, "db-1", key_of(2), 2000).value();
	EXPECT_NE(id, id2);
	auto got = s->find_server(id).value();
	ASSERT_TRUE(got);
	EXPECT_EQ(got->name, "web-1");
	EXPECT_EQ(got->owner_chat, 12345);
	EXPECT_EQ(got->signing_key, key_of(1));
	EXPECT_FALSE(got->last_seen_ms);
	EXPECT_TRUE(s->set_signing_key(id, key_of(9)).value());
	EXPECT_EQ(s->find_server(id).value()->signing_key, key_of(9));
	EXPECT_FALSE(s->set_signing_key(777, key_of(9)).value());
	EXPECT_EQ(s->list_servers().value().size(), 2u);
	EXPECT_TRUE(s->delete_server(id).value());
	EXPECT_FALSE(s->delete_server(id).value());
	EXPECT_FALSE(s->find_server(id).value());
}

TEST(SqliteStore, SequenceWindowSurvivesReopen) {
	TempDir dir;
	uint64_t id;
	{
		auto s = store::open_sqlite_store(dir.file("a.db")).value();
		id = s->create_server(std::nullopt, "x", key_of(1), 0).value();
		auto o = s->append({{id, sample_batch(1, 3, 1'764'000'000'000), 0}}).value();
		EXPECT_EQ(o[0].accepted, 3u);
	}
	auto s = store::open_sqlite_store(dir.file("a.db")).value();
	auto o = s->append({{id, sample_batch(2, 3, 1'764'000'000'000), 0}}).value();
	EXPECT_EQ(o[0].accepted, 1u);
	EXPECT_EQ(o[0].duplicates, 2u);
	// Another stream of the same server (the agent lost its state) counts from 1 again.
	o = s->append({{id, sample_batch(1, 2, 1'764'000'000'000, "fedcba9876543210"), 0}}).value();
	EXPECT_EQ(o[0].accepted, 2u);
	EXPECT_EQ(s->count_samples(id).value(), 6u);
}

TEST(SqliteStore, OneGroupTwoBatchesOfOneStream) {
	TempDir dir;
	auto s = store::open_sqlite_store(dir.file("a.db")).value();
	uint64_t id = s->create_server(std::nullopt, "x", key_of(1), 0).value();
	auto o = s->append({{id, sample_batch(1, 2, 1'764'000'000'000), 0},
	                    {id, sample_batch(2, 2, 1'764'000'000'000), 0}})
	             .value();
	EXPECT_EQ(o[0].accepted, 2u);
	EXPECT_EQ(o[1].accepted, 1u);
	EXPECT_EQ(o[1].duplicates, 1u);
	EXPECT_EQ(s->count_samples(id).value(), 3u);
}

// /fleet's reports per second: every server's reports from a time on (their own timestamps),
// a deleted server's no longer.
TEST(SqliteStore, CountsReportsSinceATimeOverEveryServer) {
	TempDir dir;
	auto s = store::open_sqlite_store(dir.file("a.db")).value();
	constexpr int64_t t0 = 1'764'000'000'000;
	EXPECT_EQ(s->count_reports_since(0).value(), 0u);
	uint64_t a = s->create_server(std::nullopt, "a", key_of(1), 0).value();
	uint64_t b = s->create_server(std::nullopt, "b", key_of(2), 0).value();
	s->create_server(std::nullopt, "never", key_of(3), 0).value();
	// a: t0, +1 min ... +4 min; b: t0 + 2 min, +3 min.
	ASSERT_TRUE(s->append({{a, sample_batch(1, 5, t0), 0}, {b, sample_batch(1, 2, t0 + 120'000), 0}}).ok());
	EXPECT_EQ(s->count_reports_since(t0).value(), 7u);
	EXPECT_EQ(s->count_reports_since(t0 + 120'000).value(), 5u); // from, inclusive
	EXPECT_EQ(s->count_reports_since(t0 + 120'001).value(), 3u);
	EXPECT_EQ(s->count_reports_since(t0 + 300'000).value(), 0u);
	ASSERT_TRUE(s->delete_server(b).value());
	EXPECT_EQ(s->count_reports_since(t0).value(), 5u) << "before purge() removes its rows";
}

TEST(SqliteStore, SamplesReadBackWithMetrics) {
	TempDir dir;
	auto s = store::open_sqlite_store(dir.file("a.db")).value();
	uint64_t id = s->create_server(std::nullopt, "x", key_of(1), 0).value();
	ASSERT_TRUE(s->append({{id, sample_batch(1, 3, 1'764'000'000'000), 0}}).ok());
	auto rows = s->samples(id, 1'764'000'000'000, 1'764'000'000'000 + 120'000).value();
	ASSERT_EQ(rows.size(), 2u); // the third is at +120 s, outside [from, to)
	EXPECT_EQ(rows[0].seq, 1u);
	EXPECT_DOUBLE_EQ(*rows[0].cpu_busy_percent, 16.0);
	EXPECT_DOUBLE_EQ(*rows[0].load1, 0.42);
	EXPECT_EQ(*rows[0].mem_total, 24ull << 30);
}

TEST(SqliteStore, RefusesAPathSqliteWouldReadAsAUri) {
	// "file:...?vfs=memdb" would open an in-memory store that acknowledges and keeps nothing.
	TempDir dir;
	for (std::string path : {fmt::format("file:{}?vfs=memdb", dir.file("a.db")), std::string("file:a.db")}) {
		auto s = store::open_sqlite_store(path);
		ASSERT_FALSE(s.ok()) << path;
		EXPECT_NE(s.error().message.find("would be read as an SQLite URI"), std::string::npos)
		    << s.error().message;
	}
	EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
	EXPECT_FALSE(std::filesystem::exists("file:a.db")); // nothing created in the working directory
}

TEST(SqliteStore, RefusesADatabaseFromTheFuture) {
	TempDir dir;
	std::string path = dir.file("a.db");
	int version = 0;
	{
		auto s = store::open_sqlite_store(path).value();
		version = s->schema_version().value();
		EXPECT_GE(version, 2);
		ASSERT_TRUE(s->create_server(std::nullopt, "keep-me", key_of(1), 0).ok());
	}
	set_user_version(path, 999);
	auto s = store::open_sqlite_store(path);
	ASSERT_FALSE(s.ok());
	EXPECT_NE(s.error().message.find("newer than this binary"), std::string::npos) << s.error().message;
	// Nothing was lost: back to a known version, the data is there.
	set_user_version(path, version);
	auto again = store::open_sqlite_store(path).value();
	EXPECT_EQ(again->list_servers().value().size(), 1u);
}

TEST(SqliteStore, NotADatabaseIsAClearError) {
	TempDir dir;
	std::string path = dir.file("garbage.db");
	FILE* f = fopen(path.c_str(), "wb");
	fputs("this is not an SQLite database, just some text that is long enough to matter..........", f);
	fclose(f);
	auto s = store::open_sqlite_store(path);
	ASSERT_FALSE(s.ok());
	EXPECT_NE(s.error().message.find("garbage.db"), std::string::npos) << s.error().message;
}

// StoreOptions::wal_checkpoint_pages bounds the WAL: the writer copies it into the database once
// it holds that many pages, and SQLite then reuses the file from its start.
TEST(SqliteStore, WalCheckpointPagesBoundsTheWal) {
	auto wal_after_load = [](int pages) {
		TempDir dir;
		store::StoreOptions o;
		o.path = dir.file("a.db");
		o.wal_checkpoint_pages = pages;
		auto s = store::open_store(o).value();
		std::vector<uint64_t> ids;
		for (int i = 0; i < 40; ++i)
			ids.push_back(s->create_server(std::nullopt, fmt::format("s{}", i), key_of(1), 0).value());
		for (uint64_t g = 1; g <= 150; ++g) {
			std::vector<store::IngestBatch> group;
			for (uint64_t id : ids)
				group.push_back(
				    {id, sample_batch(g, 1, 1'764'000'000'000 + static_cast<int64_t>(g) * 1000), 0});
			EXPECT_TRUE(s->append(group).ok());
		}
		return std::filesystem::file_size(o.path + "-wal");
	};
	auto small = wal_after_load(150);
	auto large = wal_after_load(1'000'000);
	RecordProperty("wal_bytes_150_pages", std::to_string(small));
	RecordProperty("wal_bytes_unbounded", std::to_string(large));
	EXPECT_LT(small, 150u * 4120 * 3) << "the WAL outgrew its checkpoint size";
	EXPECT_GT(large, small * 3) << "with checkpoints far away the WAL holds every commit";
}
