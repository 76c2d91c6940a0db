// The web dashboard's logins in the store: one-time links spent once, sessions found by hash
// until they expire, API tokens until revoked, and a user who lists and revokes only their own.
#include <gtest/gtest.h>

#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

struct StoreWeb : ::testing::Test {
	TempDir dir;
	std::unique_ptr<Store> store;
	void SetUp() override { store = open_sqlite_store(dir.file("s.db")).value(); }
};

std::string hash_of(char c) {
	return std::string(32, c);
}

WebSession session(char c, int64_t user, int64_t expires_ms) {
	WebSession w;
	w.token_hash = hash_of(c);
	w.user_id = user;
	w.csrf = std::string("csrf-") + c;
	w.via = "link";
	w.created_ms = w.last_seen_ms = T0;
	w.expires_ms = expires_ms;
	w.user_agent = "Firefox";
	w.ip = "192.0.2.1";
	return w;
}

} // namespace

TEST_F(StoreWeb, ALoginLinkIsSpentOnceAndNeverAfterItExpires) {
	ASSERT_TRUE(store->create_login_link(hash_of('a'), 42, T0, T0 + 5 * kMinuteMs).ok());
	ASSERT_TRUE(store->create_login_link(hash_of('b'), 43, T0, T0 + 5 * kMinuteMs).ok());
	EXPECT_EQ(store->spend_login_link(hash_of('a'), T0 + 1000).value(), std::optional<int64_t>(42));
	EXPECT_EQ(store->spend_login_link(hash_of('a'), T0 + 2000).value(), std::nullopt);
	EXPECT_EQ(store->spend_login_link(hash_of('b'), T0 + 5 * kMinuteMs).value(), std::nullopt); // expired
	EXPECT_EQ(store->spend_login_link(hash_of('z'), T0).value(), std::nullopt);                 // unknown
}

TEST_F(StoreWeb, ASessionIsFoundByItsHashUntilItExpires) {
	WebSession w = session('s', 42, T0 + kDayMs);
	w.id = store->create_web_session(w).value();
	EXPECT_GT(w.id, 0u);
	EXPECT_EQ(store->find_web_session(hash_of('s'), T0 + 1).value(), std::optional<WebSession>(w));
	EXPECT_EQ(store->find_web_session(hash_of('s'), T0 + kDayMs).value(), std::nullopt);
	EXPECT_EQ(store->find_web_session(hash_of('x'), T0).value(), std::nullopt);
}

TEST_F(StoreWeb, LastSeenIsWrittenAtMostOnceAMinute) {
	uint64_t id = store->create_web_session(session('s', 42, T0 + kDayMs)).value();
	ASSERT_TRUE(store->touch_web_session(id, T0 + 30'000).ok());
	EXPECT_EQ(store->find_web_session(hash_of('s'), T0).value()->last_seen_ms, T0);
	ASSERT_TRUE(store->touch_web_session(id, T0 + 61'000).ok());
	EXPECT_EQ(store->find_web_session(hash_of('s'), T0).value()->last_seen_ms, T0 + 61'000);
}

TEST_F(StoreWeb, AUserListsAndRevokesOnlyTheirOwnSessions) {
	uint64_t a1 = store->create_web_session(session('1', 42, T0 + kDayMs)).value();
	uint64_t a2 = store->create_web_session(session('2', 42, T0 + kDayMs)).value();
	uint64_t b1 = store->create_web_session(session('3', 7, T0 + kDayMs)).value();
	store->create_web_session(session('4', 42, T0 + 10)).value(); // expires soon
	auto mine = store->web_sessions_of(42, T0 + 20).value();
	ASSERT_EQ(mine.size(), 2u);
	EXPECT_EQ(mine[0].id, a1);
	EXPECT_EQ(mine[1].id, a2);
	EXPECT_FALSE(store->revoke_web_session(b1, 42).value()); // another user's
	EXPECT_TRUE(store->find_web_session(hash_of('3'), T0).value().has_value());
	EXPECT_TRUE(store->revoke_web_session(a1, 42).value());
	EXPECT_FALSE(store->revoke_web_session(a1, 42).value());
	EXPECT_EQ(store->revoke_web_sessions_of(42).value(), 2u); // a2 and the expired one
	EXPECT_TRUE(store->web_sessions_of(42, T0).value().empty());
	EXPECT_EQ(store->web_sessions_of(7, T0).value().size(), 1u);
}

TEST_F(StoreWeb, PurgeDropsExpiredSessionsAndLinks) {
	store->create_web_session(session('1', 42, T0 + 10)).value();
	store->create_web_session(session('2', 42, T0 + kDayMs)).value();
	ASSERT_TRUE(store->create_login_link(hash_of('a'), 42, T0, T0 + 10).ok());
	ASSERT_TRUE(store->create_login_link(hash_of('b'), 42, T0, T0 + kDayMs).ok());
	EXPECT_EQ(store->purge_web_logins(T0 + 10).value(), 2u);
	EXPECT_EQ(store->web_sessions_of(42, T0).value().size(), 1u);
	EXPECT_EQ(store->spend_login_link(hash_of('b'), T0 + 20).value(), std::optional<int64_t>(42));
}

TEST_F(StoreWeb, AnApiTokenWorksUntilItsOwnerRevokesIt) {
	ApiToken t;
	t.token_hash = hash_of('t');
	t.user_id = 42;
	t.name = "grafana";
	t.prefix = "ss_AbCd";
	t.created_ms = T0;
	t.id = store->create_api_token(t).value();
	EXPECT_EQ(store->find_api_token(hash_of('t')).value(), std::optional<ApiToken>(t));
	ASSERT_TRUE(store->touch_api_token(t.id, T0 + kMinuteMs).ok());
	EXPECT_EQ(store->find_api_token(hash_of('t')).value()->last_used_ms,
	          std::optional<int64_t>(T0 + kMinuteMs));
	EXPECT_FALSE(store->revoke_api_token(t.id, 7, T0).value()); // not theirs
	EXPECT_TRUE(store->api_tokens_of(7).value().empty());
	EXPECT_TRUE(store->revoke_api_token(t.id, 42, T0 + 2 * kMinuteMs).value());
	EXPECT_FALSE(store->revoke_api_token(t.id, 42, T0 + 3 * kMinuteMs).value());
	EXPECT_EQ(store->find_api_token(hash_of('t')).value(), std::nullopt);
	auto listed = store->api_tokens_of(42).value();
	ASSERT_EQ(listed.size(), 1u);
	EXPECT_EQ(listed[0].revoked_ms, std::optional<int64_t>(T0 + 2 * kMinuteMs));
}
