// The account endpoints behind the guard: CSRF on state changes from a cookie, bearer tokens
// until revoked, sessions listed and revoked, logout, and a user who never reaches another's.
#include <nlohmann/json.hpp>

#include "test/unit/web/web_harness.h"

using namespace serversan;
using namespace serversan::testing;
using json = nlohmann::json;

namespace {

struct WebAccount : WebTest {
	Req as(const std::string& cookie, std::string method, std::string path, std::string body = {},
	       std::string csrf = {}) {
		Req r{std::move(method), std::move(path), std::move(body), {{"Cookie", "ss_session=" + cookie}}};
		if (!csrf.empty())
			r.headers.emplace_back("X-CSRF-Token", csrf);
		return r;
	}
	Req bearer(const std::string& token, std::string method, std::string path, std::string body = {}) {
		return {std::move(method), std::move(path), std::move(body), {{"Authorization", "Bearer " + token}}};
	}
	std::string error_code(const ingest::RouteResponse& r) { return json::parse(r.body)["error"]["code"]; }
};

} // namespace

TEST_F(WebAccount, WithoutACookieOrTokenEveryEndpointAnswers401Json) {
	for (auto [method, path] :
	     std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/me"},
	                                                      {"POST", "/api/v1/logout"},
	                                                      {"GET", "/api/v1/sessions"},
	                                                      {"DELETE", "/api/v1/sessions/1"},
	                                                      {"GET", "/api/v1/tokens"},
	                                                      {"POST", "/api/v1/tokens"},
	                                                      {"DELETE", "/api/v1/tokens/1"}}) {
		auto r = call({method, path, "", {{"Cookie", "ss_session=forged"}}});
		EXPECT_EQ(r.status, 401) << method << " " << path;
		EXPECT_EQ(error_code(r), "unauthorized");
		EXPECT_EQ(json::parse(r.body)["error"]["status"], 401);
	}
}

TEST_F(WebAccount, AStateChangeFromACookieNeedsTheCsrfHeader) {
	std::string cookie = login(0);
	std::string csrf = csrf_of(cookie);
	auto missing = call(as(cookie, "POST", "/api/v1/tokens", R"({"name":"ci"})"));
	EXPECT_EQ(missing.status, 403);
	EXPECT_EQ(error_code(missing), "csrf");
	auto wrong = call(as(cookie, "POST", "/api/v1/tokens", R"({"name":"ci"})", std::string(43, 'A')));
	EXPECT_EQ(wrong.status, 403);
	EXPECT_TRUE(store->api_tokens_of(0).value().empty());
	EXPECT_EQ(call(as(cookie, "POST", "/api/v1/tokens", R"({"name":"ci"})", csrf)).status, 201);
	EXPECT_EQ(call(as(cookie, "GET", "/api/v1/tokens")).status, 200) << "reads need no CSRF header";
}

TEST_F(WebAccount, ABearerTokenWorksWithoutCsrfAndStopsWhenRevoked) {
	std::string cookie = login(0);
	std::string csrf = csrf_of(cookie);
	auto created = call(as(cookie, "POST", "/api/v1/tokens", R"({"name":"grafana"})", csrf));
	ASSERT_EQ(created.status, 201);
	auto j = json::parse(created.body);
	std::string token = j["token"];
	EXPECT_TRUE(token.starts_with("ss_"));
	EXPECT_EQ(j["name"], "grafana");

	auto me = call(bearer(token, "GET", "/api/v1/me"));
	ASSERT_EQ(me.status, 200);
	EXPECT_EQ(json::parse(me.body)["via"], "api_token");
	EXPECT_TRUE(json::parse(me.body)["csrf"].is_null());

	auto listed = json::parse(call(bearer(token, "GET", "/api/v1/tokens")).body)["tokens"];
	ASSERT_EQ(listed.size(), 1u);
	EXPECT_EQ(listed[0]["prefix"], token.substr(0, 8));
	EXPECT_FALSE(listed[0]["last_used_ms"].is_null());
	EXPECT_EQ(listed[0].dump().find(token), std::string::npos) << "the list never shows a token";

	uint64_t id = j["id"];
	EXPECT_EQ(call(bearer(token, "DELETE", "/api/v1/tokens/" + std::to_string(id))).status, 200);
	EXPECT_EQ(call(bearer(token, "GET", "/api/v1/me")).status, 401);
	listed = json::parse(call(as(cookie, "GET", "/api/v1/tokens")).body)["tokens"];
	EXPECT_FALSE(listed[0]["revoked_ms"].is_null());
}

TEST_F(WebAccount, SessionsAreListedWithTheCurrentOneAndRevoked) {
	std::string laptop = login(0);
	std::string phone = login(0);
	auto list = json::parse(call(as(phone, "GET", "/api/v1/sessions")).body)["sessions"];
	ASSERT_EQ(list.size(), 2u);
	EXPECT_EQ(list[0]["current"], false);
	EXPECT_EQ(list[1]["current"], true);
	EXPECT_EQ(list[0]["ip"], "192.0.2.7");
	uint64_t laptop_id = list[0]["id"];
	auto r = call(as(phone, "DELETE", "/api/v1/sessions/" + std::to_string(laptop_id), "", csrf_of(phone)));
	EXPECT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(call(as(laptop, "GET", "/api/v1/me")).status, 401);
	EXPECT_EQ(call(as(phone, "GET", "/api/v1/me")).status, 200);
}

TEST_F(WebAccount, LogoutEndsTheSessionAndClearsTheCookie) {
	std::string cookie = login(0);
	auto r = call(as(cookie, "POST", "/api/v1/logout", "", csrf_of(cookie)));
	EXPECT_EQ(r.status, 200);
	EXPECT_NE(header_of(r, "Set-Cookie").find("ss_session=; Max-Age=0"), std::string::npos);
	EXPECT_EQ(call(as(cookie, "GET", "/api/v1/me")).status, 401);
}

TEST_F(WebAccount, ASessionEndsAfterThirtyDays) {
	std::string cookie = login(0);
	clock.advance(std::chrono::hours(24 * 30 - 1));
	EXPECT_EQ(call(as(cookie, "GET", "/api/v1/me")).status, 200);
	clock.advance(std::chrono::hours(1));
	EXPECT_EQ(call(as(cookie, "GET", "/api/v1/me")).status, 401);
}

TEST_F(WebAccount, AUserNeverListsOrRevokesAnothersSessionsOrTokens) {
	add_user(42, "Alice");
	add_user(7, "Mallory");
	std::string alice = login(42);
	std::string mallory = login(7);
	auto token =
	    json::parse(call(as(alice, "POST", "/api/v1/tokens", R"({"name":"a"})", csrf_of(alice))).body);
	uint64_t alice_token = token["id"];
	auto alice_sessions = json::parse(call(as(alice, "GET", "/api/v1/sessions")).body)["sessions"];
	uint64_t alice_session = alice_sessions[0]["id"];

	auto seen = json::parse(call(as(mallory, "GET", "/api/v1/sessions")).body)["sessions"];
	ASSERT_EQ(seen.size(), 1u);
	EXPECT_NE(seen[0]["id"], alice_session);
	EXPECT_TRUE(json::parse(call(as(mallory, "GET", "/api/v1/tokens")).body)["tokens"].empty());

	std::string m_csrf = csrf_of(mallory);
	auto r1 = call(as(mallory, "DELETE", "/api/v1/sessions/" + std::to_string(alice_session), "", m_csrf));
	auto r2 = call(as(mallory, "DELETE", "/api/v1/tokens/" + std::to_string(alice_token), "", m_csrf));
	EXPECT_EQ(r1.status, 404);
	EXPECT_EQ(r2.status, 404);
	EXPECT_EQ(call(as(alice, "GET", "/api/v1/me")).status, 200);
	EXPECT_EQ(call(bearer(token["token"], "GET", "/api/v1/me")).status, 200);
	auto me = json::parse(call(as(alice, "GET", "/api/v1/me")).body);
	EXPECT_EQ(me["name"], "Alice");
	EXPECT_EQ(me["admin"], false);
}

TEST_F(WebAccount, ABannedUsersSessionStopsWorking) {
	add_user(42, "Alice");
	std::string cookie = login(42);
	ASSERT_TRUE(store->set_user_role(42, "blocked").value());
	EXPECT_EQ(call(as(cookie, "GET", "/api/v1/me")).status, 401);
}

TEST_F(WebAccount, BadTokenRequestsAreRefusedAsJson) {
	std::string cookie = login(0);
	std::string csrf = csrf_of(cookie);
	for (const std::string& body : std::vector<std::string>{"", "[]", R"({"name": 3})", R"({"name": ""})",
	                                                        "{\"name\": \"" + std::string(65, 'x') + "\"}"}) {
		auto r = call(as(cookie, "POST", "/api/v1/tokens", body, csrf));
		EXPECT_EQ(r.status, 400) << body;
		EXPECT_EQ(error_code(r), "bad_request");
	}
	EXPECT_EQ(call(as(cookie, "DELETE", "/api/v1/tokens/abc", "", csrf)).status, 404);
}
