// The admin commands main.cpp calls: output, clear errors and exit codes.
#include <sstream>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/admin/admin.h"
#include "serversan/server/store/web_login.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using serversan::testing::TempDir;

namespace {

struct Admin : ::testing::Test {
	TempDir dir;
	ManualClock clock{std::chrono::system_clock::time_point{std::chrono::milliseconds{1'764'000'000'000}}};
	std::unique_ptr<store::Store> store;
	std::ostringstream out, err;
	void SetUp() override { store = store::open_sqlite_store(dir.file("serversan.db")).value(); }
	void clear() {
		out.str("");
		err.str("");
	}
};

} // namespace

TEST_F(Admin, UserCommands) {
	admin::UserAddArgs a;
	a.telegram_id = 12345;
	a.username = "alice";
	a.display_name = "Alice";
	EXPECT_EQ(admin::user_add(*store, clock, a, out, err), 0) << err.str();
	EXPECT_EQ(out.str(), "User 12345 added with role user.\n");
	clear();
	EXPECT_EQ(admin::user_add(*store, clock, a, out, err), 1);
	EXPECT_EQ(err.str(),
	          "serversan-server: user 12345 exists already (use user set-role to change the role)\n");
	clear();
	a.telegram_id = 7;
	a.role = "king";
	EXPECT_EQ(admin::user_add(*store, clock, a, out, err), 1);
	EXPECT_NE(err.str().find("unknown role \"king\""), std::string::npos) << err.str();
	clear();
	a.telegram_id = 0;
	EXPECT_EQ(admin::user_add(*store, clock, a, out, err), 1);
	clear();

	EXPECT_EQ(admin::user_set_role(*store, 12345, "admin", out, err), 0) << err.str();
	EXPECT_EQ(admin::user_set_role(*store, 999, "admin", out, err), 1);
	EXPECT_NE(err.str().find("no user with Telegram id 999"), std::string::npos);
	clear();
	EXPECT_EQ(admin::user_set_role(*store, 12345, "king", out, err), 1);
	EXPECT_NE(err.str().find("unknown role \"king\" (roles: admin, blocked, user)"), std::string::npos)
	    << err.str();
	clear();

	EXPECT_EQ(admin::user_list(*store, out, err), 0);
	std::string list = out.str();
	EXPECT_NE(list.find("TELEGRAM ID"), std::string::npos);
	EXPECT_NE(list.find("12345  admin    @alice"), std::string::npos) << list;
	EXPECT_NE(list.find("2025-11-24 16:00"), std::string::npos) << list;
}

TEST_F(Admin, ServerCommands) {
	admin::ServerAddArgs a;
	a.name = "web-1";
	a.owner = 42;
	a.public_url = "https://mon.example.org";
	EXPECT_EQ(admin::server_add(*store, clock, a, out, err), 0) << err.str();
	std::string text = out.str();
	EXPECT_NE(text.find("Server 1 \"web-1\" added."), std::string::npos) << text;
	auto start = text.find("ssa1_1_");
	ASSERT_NE(start, std::string::npos);
	std::string token = text.substr(start, text.find('\n', start) - start);
	auto parsed = parse_token(token).value();
	EXPECT_EQ(store->find_server(1).value()->signing_key, derive_signing_key(parsed));
	EXPECT_NE(text.find("curl -fsSL https://mon.example.org/install.sh | sudo sh -s -- " + token),
	          std::string::npos);
	clear();
	a.name = "";
	EXPECT_EQ(admin::server_add(*store, clock, a, out, err), 1);
	clear();
	a.name = "db";
	a.token_only = true;
	EXPECT_EQ(admin::server_add(*store, clock, a, out, err), 0);
	EXPECT_EQ(out.str().rfind("ssa1_2_", 0), 0u);
	clear();

	EXPECT_EQ(admin::server_list(*store, clock, out, err), 0);
	EXPECT_NE(out.str().find("web-1"), std::string::npos);
	EXPECT_NE(out.str().find("never"), std::string::npos);
	clear();
	EXPECT_EQ(admin::server_show(*store, clock, 1, out, err), 0);
	EXPECT_NE(out.str().find("owner: 42"), std::string::npos);
	clear();
	EXPECT_EQ(admin::server_show(*store, clock, 9, out, err), 1);
	EXPECT_EQ(err.str(), "serversan-server: no server with id 9\n");
	clear();

	EXPECT_EQ(admin::server_rotate_token(*store, 1, true, out, err), 0);
	auto rotated = parse_token(out.str()).value();
	EXPECT_EQ(store->find_server(1).value()->signing_key, derive_signing_key(rotated));
	clear();
	EXPECT_EQ(admin::server_rotate_token(*store, 77, false, out, err), 1);
	clear();
	EXPECT_EQ(admin::server_delete(*store, 1, out, err), 0);
	EXPECT_EQ(admin::server_delete(*store, 1, out, err), 1);
	EXPECT_NE(err.str().find("no server with id 1"), std::string::npos);
}

TEST_F(Admin, DatabaseCommands) {
	uint64_t id = store->create_server(std::nullopt, "x", SigningKey{}, clock.unix_millis()).value();
	ASSERT_TRUE(store->append({{id, serversan::testing::sample_batch(1, 180, clock.unix_millis()), 0}}).ok());
	EXPECT_EQ(admin::db_stats(*store, out, err), 0) << err.str();
	std::string stats = out.str();
	std::string version = fmt::format("schema version {}", serversan::testing::latest_schema_version());
	for (const char* want :
	     {version.c_str(), "samples", "raw", "5m", "1h", "PER SERVER-DAY", "7.0 d", "180.0 d"})
		EXPECT_NE(stats.find(want), std::string::npos) << want << "\n" << stats;
	clear();

	std::string file = dir.file("backup.db");
	EXPECT_EQ(admin::db_backup(*store, file, out, err), 0) << err.str();
	EXPECT_NE(out.str().find("integrity_check: ok"), std::string::npos);
	struct stat st {};
	ASSERT_EQ(::stat(file.c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0600u);
	clear();
	EXPECT_EQ(admin::db_backup(*store, file, out, err), 1); // exists
	EXPECT_NE(err.str().find("File exists"), std::string::npos) << err.str();
	clear();

	store.reset();
	store::StoreOptions o;
	o.path = dir.file("serversan.db");
	EXPECT_EQ(admin::db_migrate(o, out, err), 0) << err.str();
	EXPECT_NE(out.str().find(fmt::format("is at schema version {} (up to date)",
	                                     serversan::testing::latest_schema_version())),
	          std::string::npos)
	    << out.str();
	clear();
	o.path = dir.file("fresh.db");
	EXPECT_EQ(admin::db_migrate(o, out, err), 0) << err.str();
	EXPECT_NE(out.str().find(fmt::format("migrated from schema version 0 to {}",
	                                     serversan::testing::latest_schema_version())),
	          std::string::npos)
	    << out.str();
	clear();
	o.path = dir.file("no/such/dir/x.db");
	EXPECT_EQ(admin::db_migrate(o, out, err), 1);
	EXPECT_NE(err.str().find("cannot open database"), std::string::npos) << err.str();
}

TEST(AdminConfig, StoreAndJobKeysReachTheOptions) {
	ConfigSchema schema;
	admin::add_config_keys(schema);
	ConfigSources src;
	src.env = {"SERVERSAN_SERVER_STORE_RETENTION_RAW=2d", "SERVERSAN_SERVER_JOBS_UNUSED_SERVER_AFTER=45m",
	           "SERVERSAN_SERVER_STORE_KEY_FILE=/etc/serversan/store.key"};
	src.env_prefix = "SERVERSAN_SERVER_";
	auto cfg = load_config(schema, src);
	ASSERT_TRUE(cfg.ok()) << cfg.error().message;
	auto o = admin::store_options(*cfg, "/var/lib/serversan");
	EXPECT_EQ(o.path, "/var/lib/serversan/serversan.db");
	EXPECT_EQ(o.key_file, "/etc/serversan/store.key");
	EXPECT_EQ(o.retention.raw_ms, 2 * store::kDayMs);
	EXPECT_EQ(o.retention.m5_ms, 60 * store::kDayMs);
	EXPECT_EQ(o.retention.h1_ms, 180 * store::kDayMs);
	auto j = admin::jobs_options(*cfg);
	EXPECT_EQ(j.unused_server_after, std::chrono::minutes(45));
	EXPECT_EQ(j.rollup_every, std::chrono::minutes(1));
	src.env = {"SERVERSAN_SERVER_STORE_RETENTION_RAW=5s"};
	EXPECT_FALSE(load_config(schema, src).ok());
}

TEST_F(Admin, WebLoginLinkIsForTheConsoleOperatorOrARegisteredUser) {
	EXPECT_EQ(admin::web_login_link(*store, clock, "http://127.0.0.1:8080/", std::nullopt, true, out, err),
	          0);
	std::string url = out.str();
	ASSERT_TRUE(url.starts_with("http://127.0.0.1:8080/login/")) << url;
	std::string token = url.substr(28, 43);
	int64_t now = clock.unix_millis();
	EXPECT_EQ(store->spend_login_link(store::secret_hash(token), now).value(), std::optional<int64_t>(0));
	EXPECT_EQ(admin::web_login_link(*store, clock, "http://x", int64_t{5}, false, out, err), 1);
	EXPECT_NE(err.str().find("no user with id 5"), std::string::npos) << err.str();
}

// web.login_link_ttl reaches the CLI's link (main passes it): said in the text, and the link's life.
TEST_F(Admin, WebLoginLinkLivesTheConfiguredTime) {
	ASSERT_EQ(admin::web_login_link(*store, clock, "http://h/", std::nullopt, false, out, err, 2 * 3'600'000),
	          0);
	EXPECT_NE(out.str().find("works once, within 2 hours:"), std::string::npos) << out.str();
	std::string token = out.str().substr(out.str().find("/login/") + 7, 43);
	int64_t now = clock.unix_millis();
	EXPECT_EQ(store->spend_login_link(store::secret_hash(token), now + 2 * 3'600'000 + 1).value(),
	          std::nullopt);
	EXPECT_EQ(store->spend_login_link(store::secret_hash(token), now + 3'600'000).value(),
	          std::optional<int64_t>(0));
}
