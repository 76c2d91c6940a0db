// The WAL-gathering VFS shim (sqlite_vfs.h): the same bytes and the same answers as SQLite's own
// VFS, with far fewer write system calls; frames still buffered are read back correctly.
#include <cstdint>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "serversan/server/store/sqlite/sqlite_vfs.h"
#include "test/unit/server/test_support.h"

using serversan::testing::TempDir;

namespace {

// Write system calls of this process so far (/proc/self/io "syscw").
int64_t write_calls() {
	std::ifstream in("/proc/self/io");
	std::string key;
	int64_t value = 0;
	while (in >> key >> value)
		if (key == "syscw:")
			return value;
	return -1;
}

struct Conn {
	sqlite3* db = nullptr;
	Conn(const std::string& path, const char* vfs) {
		EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
		          SQLITE_OK);
	}
	~Conn() { sqlite3_close(db); }
	void exec(const std::string& sql) {
		char* err = nullptr;
		int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
		ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
	}
	std::string text(const std::string& sql) {
		sqlite3_stmt* s = nullptr;
		EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
		std::string out;
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
			out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
		return out;
	}
};

// Twenty group commits of 50 rows each, as the ingest writer makes them.
void workload(Conn& c) {
	c.exec("PRAGMA journal_mode=WAL");
	c.exec("PRAGMA synchronous=FULL");
	c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, server INTEGER, v TEXT)");
	c.exec("CREATE INDEX t_server ON t(server, id)");
	for (int tx = 0; tx < 20; ++tx) {
		c.exec("BEGIN IMMEDIATE");
		for (int i = 0; i < 50; ++i)
			c.exec(fmt::format("INSERT INTO t(server, v) VALUES({}, printf('%.*c', {}, 'x'))",
			                   (tx * 50 + i) % 37, 300 + (tx * 7 + i) % 400));
		c.exec("COMMIT");
	}
}

const char* kDigest = "SELECT count(*) || ':' || sum(length(v)) || ':' || sum(server * id) FROM t";

} // namespace

TEST(WalGatheringVfs, SameContentWithFarFewerWriteCalls) {
	TempDir dir;
	std::string plain = dir.file("plain.db"), gathered = dir.file("gathered.db");

	int64_t w0 = write_calls();
	ASSERT_GE(w0, 0) << "/proc/self/io has no syscw";
	{
		Conn c(plain, nullptr);
		workload(c);
	}
	int64_t w1 = write_calls();
	std::string digest;
	{
		Conn c(gathered, serversan::store::sqlite::wal_gathering_vfs());
		workload(c);
		int64_t w2 = write_calls();
		RecordProperty("plain_write_calls", std::to_string(w1 - w0));
		RecordProperty("gathered_write_calls", std::to_string(w2 - w1));
		// SQLite's own VFS writes each WAL frame as a header and a page: two calls per page.
		// Gathered, a commit's frames go out in 64 KiB writes.
		EXPECT_LT((w2 - w1) * 3, w1 - w0) << "plain " << (w1 - w0) << " write calls, gathered " << (w2 - w1);

		// Committed frames are in the file before the commit returns: a connection through
		// SQLite's own VFS sees them while the gathering one is still open.
		Conn other(gathered, nullptr);
		digest = other.text(kDigest);
		EXPECT_EQ(digest, c.text(kDigest));
	}
	Conn a(plain, nullptr), b(gathered, nullptr);
	EXPECT_EQ(b.text(kDigest), a.text(kDigest));
	EXPECT_EQ(b.text(kDigest), digest);
	EXPECT_EQ(b.text("PRAGMA integrity_check"), "ok");
	EXPECT_EQ(b.text("SELECT count(*) FROM t"), "1000");
}

TEST(WalGatheringVfs, ATransactionReadsBackFramesItSpilledAndCanRollBack) {
	TempDir dir;
	std::string path = dir.file("spill.db");
	{
		Conn c(path, serversan::store::sqlite::wal_gathering_vfs());
		c.exec("PRAGMA journal_mode=WAL");
		c.exec("PRAGMA synchronous=FULL");
		c.exec("PRAGMA cache_size=2"); // pages: a big transaction spills frames to the WAL early
		c.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
		c.exec("BEGIN");
		c.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
		       "INSERT INTO t(v) SELECT printf('%.*c', 200 + i % 300, 'y') FROM n");
		// Read back inside the transaction: pages come from frames that may still be buffered.
		EXPECT_EQ(c.text("SELECT count(*) || ':' || sum(length(v)) FROM t"), "3000:1048500");
		c.exec("COMMIT");

		c.exec("BEGIN");
		c.exec("DELETE FROM t WHERE id % 2 = 0");
		c.exec("INSERT INTO t(v) SELECT v FROM t");
		EXPECT_EQ(c.text("SELECT count(*) FROM t"), "3000");
		c.exec("ROLLBACK");
		EXPECT_EQ(c.text("SELECT count(*) || ':' || sum(length(v)) FROM t"), "3000:1048500");
	}
	Conn check(path, nullptr);
	EXPECT_EQ(check.text("PRAGMA integrity_check"), "ok");
	EXPECT_EQ(check.text("SELECT count(*) || ':' || sum(length(v)) FROM t"), "3000:1048500");
}

// Below FULL there is no sync at commit to push gathered frames into the file before other
// connections see the commit, so the shim refuses it.
TEST(WalGatheringVfs, RefusesSynchronousBelowFull) {
	TempDir dir;
	Conn c(dir.file("s.db"), serversan::store::sqlite::wal_gathering_vfs());
	for (const char* low : {"NORMAL", "off", "1", "0"}) {
		char* err = nullptr;
		EXPECT_NE(
		    sqlite3_exec(c.db, fmt::format("PRAGMA synchronous={}", low).c_str(), nullptr, nullptr, &err),
		    SQLITE_OK)
		    << low;
		EXPECT_NE(std::string(err ? err : "").find("synchronous below FULL"), std::string::npos) << low;
		sqlite3_free(err);
	}
	c.exec("PRAGMA synchronous=FULL");
	c.exec("PRAGMA synchronous=extra");
	EXPECT_EQ(c.text("PRAGMA synchronous"), "3");
}
