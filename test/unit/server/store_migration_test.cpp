// Migrations: a fresh database, the upgrade from schema 1 with every kind of data kept, a failed
// migration that changes nothing, and the catalog matching the frozen schema text.
#include <fstream>
#include <iterator>
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "serversan/core/report_encode.h"
#include "serversan/server/store/metrics.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

// Direct access for setting up old databases and for looking under the store.
class RawDb {
public:
	explicit RawDb(const std::string& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
	~RawDb() { sqlite3_close(db_); }
	int exec(const std::string& sql) {
		char* msg = nullptr;
		int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg);
		if (msg)
			last_error = msg;
		sqlite3_free(msg);
		return rc;
	}
	int64_t scalar(const std::string& sql) {
		sqlite3_stmt* s = nullptr;
		EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
		int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
		sqlite3_finalize(s);
		return v;
	}
	std::vector<std::string> columns(const std::string& table) {
		std::vector<std::string> out;
		sqlite3_stmt* s = nullptr;
		sqlite3_prepare_v2(db_, ("PRAGMA table_info(" + table + ")").c_str(), -1, &s, nullptr);
		while (sqlite3_step(s) == SQLITE_ROW)
			out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
		sqlite3_finalize(s);
		return out;
	}
	void insert(const std::string& sql, const std::vector<std::string>& blobs_or_text, bool first_is_blob) {
		sqlite3_stmt* s = nullptr;
		ASSERT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
		for (size_t i = 0; i < blobs_or_text.size(); ++i) {
			const std::string& v = blobs_or_text[i];
			if (i == 0 && first_is_blob)
				sqlite3_bind_blob(s, 1, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
			else
				sqlite3_bind_text(s, static_cast<int>(i + 1), v.data(), static_cast<int>(v.size()),
				                  SQLITE_TRANSIENT);
		}
		ASSERT_EQ(sqlite3_step(s), SQLITE_DONE) << sqlite3_errmsg(db_);
		sqlite3_finalize(s);
	}
	std::string last_error;

private:
	sqlite3* db_ = nullptr;
};

std::string file_bytes(const std::string& path) {
	std::ifstream f(path, std::ios::binary);
	return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

SigningKey key_of(uint8_t b) {
	SigningKey k{};
	for (size_t i = 0; i < k.size(); ++i)
		k[i] = static_cast<uint8_t>(b + i * 7);
	return k;
}

std::string as_string(const SigningKey& k) {
	return std::string(reinterpret_cast<const char*>(k.data()), k.size());
}

// A schema-1 database as the first server slice wrote it: plain keys, JSON host facts, each
// report's JSON in samples.detail.
void make_v1_database(const std::string& path) {
	{
		StoreOptions o;
		o.path = path;
		o.max_version = 1;
		auto s = open_store(o);
		ASSERT_TRUE(s.ok()) << s.error().message;
		EXPECT_EQ((*s)->schema_version().value(), 1);
		EXPECT_FALSE((*s)->list_servers().ok()); // below the latest version: only migrations
	}
	RawDb db(path);
	HostFacts h;
	h.hostname = "web-01";
	h.os_name = "Debian GNU/Linux";
	h.os_version = "12";
	h.cpu_logical = 4;
	h.cpu_mhz = 2099.5;
	db.insert(
	    "INSERT INTO servers(id, owner_chat, name, signing_key, created_ms, last_seen_ms, agent_version, "
	    "host_json) VALUES(3, 42, 'web', ?, 1000, " +
	        std::to_string(T0) + ", '0.1.0', ?)",
	    {as_string(key_of(1)), encode_host_facts(h)}, true);
	db.insert("INSERT INTO servers(id, owner_chat, name, signing_key, created_ms, host_json) "
	          "VALUES(7, NULL, 'odd', ?, 2000, ?)",
	          {as_string(key_of(2)), "{not json"}, true);
	ASSERT_EQ(db.exec("INSERT INTO streams VALUES(3, '0123456789abcdef', 3, 7)"), SQLITE_OK);
	for (int i = 1; i <= 3; ++i) {
		Report r = serversan::testing::sample_report(static_cast<uint64_t>(i), T0 + i * 60'000);
		NetInterface eth;
		eth.name = "eth0";
		eth.rx_bytes_per_s = 1000.0 * i;
		r.interfaces.push_back(eth);
		std::string detail;
		encode_report(r, detail);
		if (i == 3)
			detail = "{\"seq\": broken";
		db.insert("INSERT INTO samples(server_id, ts_ms, seq, cpu_busy, load1, mem_total, mem_used, detail) "
		          "VALUES(3, " +
		              std::to_string(T0 + i * 60'000) + ", " + std::to_string(i) +
		              ", 16.0, 0.42, 100, 50, ?)",
		          {detail}, false);
	}
}

// An empty database as the ServerSan of that schema version left it.
void make_database_at(const std::string& path, int version) {
	StoreOptions o;
	o.path = path;
	o.max_version = version;
	ASSERT_TRUE(open_store(o).ok());
}

} // namespace

TEST(StoreMigration, AFreshDatabaseIsAtTheLatestVersionWithItsRoles) {
	TempDir dir;
	auto s = open_sqlite_store(dir.file("a.db")).value();
	EXPECT_EQ(s->schema_version().value(), serversan::testing::latest_schema_version());
	auto roles = s->list_roles().value();
	ASSERT_EQ(roles.size(), 3u);
	EXPECT_EQ(roles[0].name, "admin");
	EXPECT_TRUE(roles[0].allows(kPermManageUsers)); // admin allows everything
	EXPECT_EQ(roles[2].name, "user");
	EXPECT_TRUE(roles[2].allows(kPermAddServers));
	EXPECT_FALSE(roles[2].allows(kPermAllServers));
	EXPECT_FALSE(roles[1].allows(kPermAddServers)); // blocked
	// No backup of an empty database.
	EXPECT_FALSE(std::filesystem::exists(dir.file("a.db.v0.bak")));
}

TEST(StoreMigration, TheCatalogMatchesTheSchema) {
	TempDir dir;
	{ auto s = open_sqlite_store(dir.file("a.db")).value(); }
	RawDb db(dir.file("a.db"));
	auto raw = db.columns("samples");
	ASSERT_EQ(raw.size(), 3 + kMainColumnCount + 1);
	for (size_t i = 0; i < kMainColumnCount; ++i)
		EXPECT_EQ(raw[3 + i], kMainColumns[i]);
	for (const char* t : {"rollup_5m", "rollup_1h"}) {
		auto cols = db.columns(t);
		ASSERT_EQ(cols.size(), 4 + 3 * kMainColumnCount) << t;
		for (size_t i = 0; i < kMainColumnCount; ++i)
			EXPECT_EQ(cols[4 + 3 * i + 1], std::string(kMainColumns[i]) + "_avg");
	}
	for (const char* t : {"rollup_dev_5m", "rollup_dev_1h"})
		EXPECT_EQ(db.columns(t).size(), 4 + 3 * kDeviceSlots) << t;
}

TEST(StoreMigration, UpgradeFromSchema1KeepsEverything) {
	TempDir dir;
	std::string path = dir.file("serversan.db");
	make_v1_database(path);
	ASSERT_NE(file_bytes(path).find(as_string(key_of(1))), std::string::npos); // schema 1: in clear

	auto s = open_sqlite_store(path);
	ASSERT_TRUE(s.ok()) << s.error().message;
	Store& st = **s;
	EXPECT_EQ(st.schema_version().value(), serversan::testing::latest_schema_version());

	auto web = st.find_server(3).value();
	ASSERT_TRUE(web);
	EXPECT_EQ(web->signing_key, key_of(1));
	EXPECT_EQ(web->owner_chat, 42);
	EXPECT_EQ(web->name, "web");
	EXPECT_EQ(web->created_ms, 1000);
	EXPECT_EQ(web->last_seen_ms, T0);
	EXPECT_EQ(web->agent_version, "0.1.0");
	ASSERT_TRUE(web->host);
	EXPECT_EQ(web->host->hostname, "web-01");
	EXPECT_EQ(web->host->os_version, "12");
	EXPECT_EQ(web->host->cpu_logical, 4u);
	EXPECT_EQ(web->host->cpu_mhz, 2099.5);
	auto odd = st.find_server(7).value();
	ASSERT_TRUE(odd);
	EXPECT_EQ(odd->signing_key, key_of(2));
	EXPECT_FALSE(odd->host); // its host JSON was unreadable

	// Samples: the old columns, and what the JSON detail held, now in columns and the device blob.
	EXPECT_EQ(st.count_samples(3).value(), 3u);
	auto rows = st.samples(3, T0, T0 + kHourMs).value();
	ASSERT_EQ(rows.size(), 3u);
	EXPECT_EQ(rows[0].mem_total, 24ull << 30); // re-derived from the detail
	EXPECT_EQ(rows[2].mem_total, 100u);        // broken detail: the schema-1 columns stay
	SeriesQuery q;
	q.server_id = 3;
	q.metric = "net.rx";
	q.device = "eth0";
	q.from_ms = T0;
	q.to_ms = T0 + kHourMs;
	q.tier = Tier::raw;
	auto eth = st.series(q).value();
	ASSERT_EQ(eth.points.size(), 2u);
	EXPECT_EQ(eth.points[1].avg, 2000.0);

	// The sequence window came along: seq 3 is a duplicate, 4 is new.
	auto o = st.append({{3, serversan::testing::sample_batch(3, 2, T0 + 10 * kMinuteMs), T0}}).value();
	EXPECT_EQ(o[0].duplicates, 1u);
	EXPECT_EQ(o[0].accepted, 1u);
	// Ids are never reused from now on.
	EXPECT_GT(st.create_server(std::nullopt, "new", key_of(3), T0).value(), 7u);

	// The keys are sealed, the old pages are gone from the file, and the key file is private.
	std::string bytes = file_bytes(path) + file_bytes(path + "-wal");
	EXPECT_EQ(bytes.find(as_string(key_of(1))), std::string::npos);
	EXPECT_EQ(bytes.find(as_string(key_of(2))), std::string::npos);
	struct stat info {};
	ASSERT_EQ(::stat(dir.file("keys/store.key").c_str(), &info), 0);
	EXPECT_EQ(info.st_mode & 0777, 0600u);
	ASSERT_EQ(::stat(dir.file("keys").c_str(), &info), 0);
	EXPECT_EQ(info.st_mode & 0777, 0700u);
	// The copy taken before migrating: private, and still at schema 1.
	ASSERT_EQ(::stat((path + ".v1.bak").c_str(), &info), 0);
	EXPECT_EQ(info.st_mode & 0777, 0600u);
	RawDb bak(path + ".v1.bak");
	EXPECT_EQ(bak.scalar("PRAGMA user_version"), 1);
	EXPECT_EQ(bak.scalar("SELECT count(*) FROM samples"), 3);
}

TEST(StoreMigration, AFailedMigrationChangesNothing) {
	TempDir dir;
	std::string path = dir.file("serversan.db");
	make_v1_database(path);
	{
		RawDb db(path);
		ASSERT_EQ(db.exec("CREATE TABLE users (x INTEGER)"), SQLITE_OK); // in migration 2's way
	}
	auto s = open_sqlite_store(path);
	ASSERT_FALSE(s.ok());
	EXPECT_NE(s.error().message.find("migration to schema version 2 failed (nothing was changed)"),
	          std::string::npos)
	    << s.error().message;
	RawDb db(path);
	EXPECT_EQ(db.scalar("PRAGMA user_version"), 1);
	EXPECT_EQ(db.scalar("SELECT count(*) FROM servers"), 2);
	EXPECT_EQ(db.scalar("SELECT count(*) FROM samples"), 3);
	EXPECT_EQ(db.scalar("SELECT length(signing_key) FROM servers WHERE id = 3"), 32);
}

TEST(StoreMigration, DbMigrateOptionOpensWithoutMigrating) {
	TempDir dir;
	std::string path = dir.file("serversan.db");
	make_v1_database(path);
	StoreOptions o;
	o.path = path;
	o.migrate_on_open = false;
	o.backup_before_migrate = false;
	auto s = open_store(o).value();
	EXPECT_EQ(s->schema_version().value(), 1);
	EXPECT_FALSE(s->find_server(3).ok());
	ASSERT_TRUE(s->migrate().ok());
	EXPECT_EQ(s->schema_version().value(), serversan::testing::latest_schema_version());
	EXPECT_EQ(s->find_server(3).value()->signing_key, key_of(1));
	EXPECT_FALSE(std::filesystem::exists(path + ".v1.bak"));
}

TEST(StoreMigration, IdsAreNeverReused) {
	TempDir dir;
	auto s = open_sqlite_store(dir.file("a.db")).value();
	uint64_t a = s->create_server(std::nullopt, "a", key_of(1), 0).value();
	uint64_t b = s->create_server(std::nullopt, "b", key_of(2), 0).value();
	ASSERT_TRUE(s->delete_server(b).value());
	uint64_t c = s->create_server(std::nullopt, "c", key_of(3), 0).value();
	EXPECT_GT(c, b);
	EXPECT_GT(b, a);
}

// Schema 5 moves each user's notification switch and quiet hours to the settings of their
// private chat (whose id is theirs); users who changed nothing get no row (the defaults).
TEST(StoreMigration, Schema5CarriesNotificationSettingsOverToThePrivateChat) {
	TempDir dir;
	std::string path = dir.file("serversan.db");
	make_database_at(path, 4);
	{
		RawDb db(path);
		ASSERT_EQ(db.exec("INSERT INTO users(telegram_id, notify, quiet_from_min, quiet_to_min, created_ms) "
		                  "VALUES (1, 0, NULL, NULL, 5), (2, 1, 1380, 420, 5), (3, 1, NULL, NULL, 5)"),
		          SQLITE_OK);
	}
	auto s = open_sqlite_store(path);
	ASSERT_TRUE(s.ok()) << s.error().message;
	EXPECT_FALSE((*s)->chat_settings(1).value().notify);
	ChatSettings two = (*s)->chat_settings(2).value();
	EXPECT_TRUE(two.notify);
	EXPECT_EQ(two.quiet_from_min, 23 * 60);
	EXPECT_EQ(two.quiet_to_min, 7 * 60);
	ChatSettings three = (*s)->chat_settings(3).value();
	EXPECT_TRUE(three.notify);
	EXPECT_FALSE(three.quiet_from_min);
	EXPECT_EQ((*s)->find_user(2).value()->telegram_id, 2); // the users themselves are untouched
}

// Schema 10 adds who the bot saw in which group (and the groups' titles), empty at first: a
// schema-9 database keeps its servers and starts noting members.
TEST(StoreMigration, Schema10AddsGroupMembersToASchema9Database) {
	TempDir dir;
	std::string path = dir.file("serversan.db");
	make_database_at(path, 9);
	{
		RawDb db(path);
		ASSERT_EQ(db.exec("INSERT INTO servers(id, owner_chat, name, key_box, created_ms) "
		                  "VALUES (5, -7, 'g-web', x'00', 1000)"),
		          SQLITE_OK)
		    << db.last_error;
	}
	auto s = open_sqlite_store(path);
	ASSERT_TRUE(s.ok()) << s.error().message;
	Store& st = **s;
	EXPECT_EQ(st.schema_version().value(), serversan::testing::latest_schema_version());
	EXPECT_TRUE(st.server_group_chats(42).value().empty()); // nobody noted yet
	ASSERT_TRUE(st.note_chat_member(-7, 42, "Ops", T0).ok());
	EXPECT_EQ(st.server_group_chats(42).value(), (std::vector<int64_t>{-7}));
	EXPECT_EQ(st.group_chat_title(-7).value(), "Ops");
	RawDb db(path);
	EXPECT_EQ(db.columns("chat_members"), (std::vector<std::string>{"chat_id", "user_id", "seen_ms"}));
	EXPECT_EQ(db.columns("group_chats"), (std::vector<std::string>{"chat_id", "title", "seen_ms"}));
	EXPECT_EQ(db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'chat_members_user'"), 1);
}
