// Alert routing and server tags (schema 7): a server's alert chat, its tags, a rule's tag and
// route chat.
#include <gtest/gtest.h>

#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

struct Tags : ::testing::Test {
	TempDir dir;
	std::unique_ptr<Store> store;
	void SetUp() override { store = open_sqlite_store(dir.file("s.db")).value(); }
};

} // namespace

TEST_F(Tags, ValidTagIsAShortLowercaseWord) {
	EXPECT_TRUE(valid_server_tag("db"));
	EXPECT_TRUE(valid_server_tag("eu-west_2"));
	EXPECT_TRUE(valid_server_tag(std::string(24, 'a')));
	EXPECT_FALSE(valid_server_tag(std::string(25, 'a')));
	EXPECT_FALSE(valid_server_tag(""));
	EXPECT_FALSE(valid_server_tag("DB"));
	EXPECT_FALSE(valid_server_tag("a b"));
	EXPECT_FALSE(valid_server_tag("#db"));
	EXPECT_FALSE(valid_server_tag("数据"));
}

TEST_F(Tags, ServerAlertChatIsStoredAndCleared) {
	uint64_t s = store->create_server(int64_t{42}, "web1", SigningKey{}, T0).value();
	EXPECT_FALSE(store->find_server(s).value()->alert_chat);
	EXPECT_TRUE(store->set_server_alert_chat(s, int64_t{-100123}).value());
	EXPECT_EQ(store->find_server(s).value()->alert_chat, int64_t{-100123});
	EXPECT_EQ(store->servers_of(42).value().front().alert_chat, int64_t{-100123});
	EXPECT_EQ(store->list_servers().value().front().alert_chat, int64_t{-100123});
	EXPECT_TRUE(store->set_server_alert_chat(s, std::nullopt).value());
	EXPECT_FALSE(store->find_server(s).value()->alert_chat);
	EXPECT_FALSE(store->set_server_alert_chat(999, int64_t{1}).value());
}

TEST_F(Tags, SetReplacesSortsAndDeduplicates) {
	uint64_t s = store->create_server(int64_t{42}, "web1", SigningKey{}, T0).value();
	EXPECT_TRUE(store->server_tags(s).value().empty());
	EXPECT_TRUE(store->set_server_tags(s, {"prod", "db", "prod"}).value());
	EXPECT_EQ(store->server_tags(s).value(), (std::vector<std::string>{"db", "prod"}));
	EXPECT_TRUE(store->set_server_tags(s, {"web"}).value());
	EXPECT_EQ(store->server_tags(s).value(), (std::vector<std::string>{"web"}));
	EXPECT_TRUE(store->set_server_tags(s, {}).value());
	EXPECT_TRUE(store->server_tags(s).value().empty());
	EXPECT_FALSE(store->set_server_tags(999, {"db"}).value());
}

TEST_F(Tags, InvalidOrTooManyTagsChangeNothing) {
	uint64_t s = store->create_server(int64_t{42}, "web1", SigningKey{}, T0).value();
	ASSERT_TRUE(store->set_server_tags(s, {"db"}).value());
	auto bad = store->set_server_tags(s, {"ok", "Not OK"});
	ASSERT_FALSE(bad.ok());
	EXPECT_NE(bad.error().message.find("Not OK"), std::string::npos);
	std::vector<std::string> eleven;
	for (int i = 0; i < 11; ++i)
		eleven.emplace_back(1, static_cast<char>('a' + i));
	EXPECT_NE(store->set_server_tags(s, eleven).error().message.find("at most 10"), std::string::npos);
	eleven.pop_back();
	EXPECT_EQ(store->server_tags(s).value(), (std::vector<std::string>{"db"}));
	EXPECT_TRUE(store->set_server_tags(s, eleven).value()); // ten is the limit, not an error
	EXPECT_EQ(store->server_tags(s).value().size(), 10u);
}

TEST_F(Tags, ChatServerTagsReadsOneChatsServersAtOnce) {
	uint64_t a = store->create_server(int64_t{42}, "a", SigningKey{}, T0).value();
	uint64_t b = store->create_server(int64_t{42}, "b", SigningKey{}, T0).value();
	uint64_t other = store->create_server(int64_t{7}, "c", SigningKey{}, T0).value();
	ASSERT_TRUE(store->set_server_tags(a, {"prod", "db"}).value());
	ASSERT_TRUE(store->set_server_tags(b, {"web"}).value());
	ASSERT_TRUE(store->set_server_tags(other, {"db"}).value());
	EXPECT_EQ(store->chat_server_tags(int64_t{42}).value(),
	          (std::vector<ServerTag>{{a, "db"}, {a, "prod"}, {b, "web"}}));
	EXPECT_EQ(store->chat_server_tags(std::nullopt).value().size(), 4u);
	// Deleting a server takes its tags.
	ASSERT_TRUE(store->delete_server(a).value());
	EXPECT_EQ(store->chat_server_tags(int64_t{42}).value(), (std::vector<ServerTag>{{b, "web"}}));
}

TEST_F(Tags, RuleTagAndRouteChatRoundTrip) {
	uint64_t s = store->create_server(int64_t{42}, "a", SigningKey{}, T0).value();
	AlertRule r;
	r.owner_chat = 42;
	r.tag = "db";
	r.metric = "cpu.busy";
	r.threshold = 80;
	r.route_chat = -100555;
	r.created_ms = T0;
	r.id = store->create_alert_rule(r).value();
	EXPECT_EQ(store->list_alert_rules(int64_t{42}).value(), (std::vector<AlertRule>{r}));
	r.tag = "web";
	r.route_chat.reset();
	EXPECT_TRUE(store->update_alert_rule(r).value());
	EXPECT_EQ(store->list_alert_rules(int64_t{42}).value(), (std::vector<AlertRule>{r}));

	AlertRule both = r;
	both.server_id = s;
	EXPECT_NE(store->create_alert_rule(both).error().message.find("not both"), std::string::npos);
	AlertRule bad = r;
	bad.tag = "Web!";
	EXPECT_NE(store->create_alert_rule(bad).error().message.find("invalid tag"), std::string::npos);
}
