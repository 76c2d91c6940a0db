// One-time login links: the GET shows a button and spends nothing (Telegram's preview crawler
// opens links first), the button's POST spends the link once within 5 minutes and sets the
// session cookie, and no secret ever reaches the log.
#include <nlohmann/json.hpp>

#include "serversan/server/store/web_login.h"
#include "test/unit/web/log_capture.h"
#include "test/unit/web/web_harness.h"

using namespace serversan;
using namespace serversan::testing;

using WebLogin = WebTest;

TEST_F(WebLogin, TheCrawlersGetDoesNotSpendTheLinkAndTheButtonDoesOnce) {
	std::string token = link_for(store::kConsoleUser);
	for (int i = 0; i < 3; ++i) { // the preview crawler, then the person, then a reload
		auto page = call({"GET", "/login/" + token});
		EXPECT_EQ(page.status, 200);
		EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
		EXPECT_NE(page.body.find("Open the dashboard"), std::string::npos);
		EXPECT_NE(page.body.find("method=\"post\""), std::string::npos);
		EXPECT_NE(page.body.find("noindex"), std::string::npos);
		EXPECT_EQ(page.body.find("http"), std::string::npos) << "no external resources";
		EXPECT_EQ(header_of(page, "Referrer-Policy"), "no-referrer");
		EXPECT_TRUE(header_of(page, "Set-Cookie").empty());
	}
	auto first = call({"POST", "/login/" + token});
	EXPECT_EQ(first.status, 303);
	EXPECT_EQ(header_of(first, "Location"), "/");
	EXPECT_FALSE(cookie_from(header_of(first, "Set-Cookie")).empty());

	auto second = call({"POST", "/login/" + token});
	EXPECT_EQ(second.status, 410);
	EXPECT_TRUE(header_of(second, "Set-Cookie").empty());
	EXPECT_NE(second.body.find("/web"), std::string::npos) << "says how to get a new link";
}

TEST_F(WebLogin, ALinkExpiresAfterFiveMinutesOnTheClock) {
	std::string late = link_for(42);
	std::string in_time = link_for(42);
	clock.advance(std::chrono::minutes(4) + std::chrono::seconds(59));
	EXPECT_EQ(call({"POST", "/login/" + in_time}).status, 303);
	clock.advance(std::chrono::seconds(1));
	EXPECT_EQ(call({"POST", "/login/" + late}).status, 410);
}

TEST_F(WebLogin, UnknownAndMalformedLinksShowTheSamePage) {
	EXPECT_EQ(call({"POST", "/login/" + store::new_secret()}).status, 410);
	EXPECT_EQ(call({"POST", "/login/short"}).status, 410);
	EXPECT_EQ(call({"POST", "/login/"}).status, 410);
}

TEST_F(WebLogin, TheCookieIsHttpOnlyLaxForTheWholeSiteAndSecureUnderTls) {
	auto plain = call({"POST", "/login/" + link_for(0)});
	std::string c = header_of(plain, "Set-Cookie");
	EXPECT_TRUE(c.starts_with("ss_session=")) << c;
	EXPECT_NE(c.find("; HttpOnly"), std::string::npos) << c;
	EXPECT_NE(c.find("; SameSite=Lax"), std::string::npos) << c;
	EXPECT_NE(c.find("; Path=/"), std::string::npos) << c;
	EXPECT_NE(c.find("; Max-Age=2592000"), std::string::npos) << c; // 30 days
	EXPECT_EQ(c.find("Secure"), std::string::npos) << c;
	Req tls{"POST", "/login/" + link_for(0)};
	tls.tls = true;
	EXPECT_NE(header_of(call(tls), "Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(WebLogin, TheConsoleOperatorIsAnAdminLoggedInViaTheConsole) {
	std::string cookie = login(store::kConsoleUser);
	auto me = call({"GET", "/api/v1/me", "", {{"Cookie", "theme=dark; ss_session=" + cookie}}});
	ASSERT_EQ(me.status, 200) << me.body;
	auto j = nlohmann::json::parse(me.body);
	EXPECT_EQ(j["user_id"], 0);
	EXPECT_EQ(j["admin"], true);
	EXPECT_EQ(j["via"], "session");
	EXPECT_EQ(j["csrf"].get<std::string>().size(), 43u);
	auto list = store->web_sessions_of(0, now_ms()).value();
	ASSERT_EQ(list.size(), 1u);
	EXPECT_EQ(list[0].via, "console");
}

TEST_F(WebLogin, TriesFromOneAddressAreRateLimited) {
	int refused = 0;
	for (int i = 0; i < 12; ++i) {
		auto r = call({"POST", "/login/" + store::new_secret()});
		if (r.status == 429) {
			++refused;
			EXPECT_FALSE(header_of(r, "Retry-After").empty());
		}
	}
	EXPECT_EQ(refused, 2); // a burst of 10
	Req other{"POST", "/login/" + link_for(0)};
	other.ip = "198.51.100.1";
	EXPECT_EQ(call(other).status, 303);
	clock.advance(std::chrono::seconds(6));
	EXPECT_EQ(call({"POST", "/login/" + link_for(0)}).status, 303);
}

TEST_F(WebLogin, NoSecretReachesTheLog) {
	clear_captured_log();
	std::string token = link_for(0);
	auto r = call({"POST", "/login/" + token});
	std::string cookie = cookie_from(header_of(r, "Set-Cookie"));
	std::string csrf = csrf_of(cookie);
	call({"POST", "/login/" + token}); // a second try is logged
	auto created = call({"POST",
	                     "/api/v1/tokens",
	                     R"({"name": "grafana"})",
	                     {{"Cookie", "ss_session=" + cookie}, {"X-CSRF-Token", csrf}}});
	ASSERT_EQ(created.status, 201);
	std::string api_token = nlohmann::json::parse(created.body)["token"];
	std::string log = captured_log();
	EXPECT_NE(log.find("logged in"), std::string::npos) << log;
	for (const std::string& secret : {token, cookie, csrf, api_token})
		EXPECT_EQ(log.find(secret), std::string::npos) << log;
}
