// A store, a moved clock and the auth routes, with requests made by calling the registered
// handlers (Routes::find) the way the listener will.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/routes.h"
#include "serversan/server/store/store.h"
#include "serversan/server/web/auth_routes.h"
#include "serversan/server/web/session_auth.h"
#include "test/unit/server/test_support.h"

namespace serversan::testing {

inline constexpr std::string_view kBotToken = "123456:TEST-token-for-the-mini-app";

struct Req {
	std::string method = "GET", path, body;
	std::vector<std::pair<std::string, std::string>> headers;
	bool tls = false;
	std::string ip = "192.0.2.7";
};

struct WebTest : ::testing::Test {
	TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store;
	std::unique_ptr<web::SessionAuth> auth;
	ingest::Routes routes;

	void SetUp() override;
	int64_t now_ms() const { return clock.unix_millis(); }
	// The route's answer; 404 with an empty body if no route matches.
	ingest::RouteResponse call(const Req& r);
	// A one-time link's token for user_id, as the bot and the CLI mint it.
	std::string link_for(int64_t user_id);
	// Spends a link with the button's POST and returns the cookie's value.
	std::string login(int64_t user_id);
	std::string csrf_of(const std::string& cookie); // from GET /api/v1/me
	void add_user(int64_t id, std::string name, std::string role = "user");
};

// The value of a response header; empty if absent.
std::string header_of(const ingest::RouteResponse& r, std::string_view name);
// "ss_session=<value>" out of a Set-Cookie value.
std::string cookie_from(const std::string& set_cookie);

} // namespace serversan::testing
