// The API's front layer: query decoding, JSON errors, authentication, CSRF on cookie requests,
// rate limits per address and per user, the body cap, token-only endpoints.
#include "serversan/server/web/form.h"
#include "test/unit/web/api_fixture.h"

using namespace serversan;
using namespace serversan::web;
using namespace serversan::web::testing;

namespace {

TEST(ApiQuery, DecodesPercentAndPlus) {
	EXPECT_EQ(form_decode("a%20b+c%2Fd").value(), "a b c/d");
	EXPECT_FALSE(form_decode("bad%2").has_value());
	EXPECT_FALSE(form_decode("bad%zz").has_value());
	auto q = parse_query("metric=cpu.busy&device=%2Fvar%2Flib&x&metric=second").value();
	EXPECT_EQ(q.at("metric"), "cpu.busy"); // the first of repeated names
	EXPECT_EQ(q.at("device"), "/var/lib");
	EXPECT_EQ(q.at("x"), "");
	EXPECT_FALSE(parse_query("a=%G0").has_value());
}

using ApiRouterTest = ApiTest;

void expect_error(const Answer& a, int status, const std::string& code) {
	EXPECT_EQ(a.status, status) << a.raw.body;
	ASSERT_TRUE(a.json.contains("error")) << a.raw.body;
	EXPECT_EQ(a.json["error"]["status"], status);
	EXPECT_EQ(a.json["error"]["code"], code);
	EXPECT_TRUE(a.json["error"]["message"].is_string());
}

TEST_F(ApiRouterTest, ErrorsAreJsonWithStatusCodeAndMessage) {
	expect_error(call("GET", "/api/v1/servers", ""), 401, "unauthorized");
	expect_error(call("GET", "/api/v1/servers", "mallory"), 401, "unauthorized");
	expect_error(call("GET", "/api/v1/nothing-here"), 404, "not_found");
	expect_error(call("PUT", "/api/v1/servers"), 405, "method_not_allowed");
	expect_error(call("POST", "/api/v1/servers", "alice", "[1,2]"), 400, "bad_request");
	expect_error(call("POST", "/api/v1/servers", "alice", "{not json"), 400, "bad_request");
	expect_error(call("POST", "/api/v1/servers", "alice", R"({"name": 5})"), 400, "bad_request");
	expect_error(call("GET", "/api/v1/servers/1/series?metric=%zz"), 400, "bad_request");
	std::string big = R"({"name": ")" + std::string(70 * 1024, 'x') + R"("})";
	expect_error(call("POST", "/api/v1/servers", "alice", big), 413, "too_large");
}

TEST_F(ApiRouterTest, CookieRequestsThatChangeStateNeedTheCsrfHeader) {
	std::string body = R"({"name": "renamed"})";
	std::string path = "/api/v1/servers/" + std::to_string(a_web);
	expect_error(call("PATCH", path, "cookie-nocsrf:alice", body), 403, "csrf");
	EXPECT_EQ(store->find_server(a_web).value()->name, "a-web");
	EXPECT_EQ(call("PATCH", path, "cookie:alice", body).status, 200);
	EXPECT_EQ(call("PATCH", path, "alice", R"({"name": "by-token"})").status, 200); // a token needs none
	EXPECT_EQ(call("GET", path, "cookie-nocsrf:alice").status, 200);                // reading needs none
	EXPECT_EQ(store->find_server(a_web).value()->name, "by-token");
}

TEST_F(ApiRouterTest, PrometheusTakesOnlyAnApiToken) {
	expect_error(call("GET", "/api/v1/prometheus", "cookie:alice"), 403, "forbidden");
	EXPECT_EQ(call("GET", "/api/v1/prometheus", "alice").status, 200);
}

struct ApiRateTest : ApiTest {
	void configure(ApiDeps& d) override {
		d.limits.per_user = {1, 3};     // 3 at once, then one a second
		d.limits.per_address = {1, 10}; // 10 at once per address
	}
};

TEST_F(ApiRateTest, EachUserIsLimitedAndToldWhenToComeBack) {
	for (int i = 0; i < 3; ++i)
		EXPECT_EQ(call("GET", "/api/v1/servers", "alice", "", "10.0.0.1").status, 200);
	Answer a = call("GET", "/api/v1/servers", "alice", "", "10.0.0.2");
	expect_error(a, 429, "rate_limited");
	ASSERT_EQ(a.raw.headers.size(), 2u);
	EXPECT_EQ(a.raw.headers[1].first, "Retry-After");
	EXPECT_EQ(a.raw.headers[1].second, "1");
	EXPECT_EQ(call("GET", "/api/v1/servers", "bob", "", "10.0.0.3").status, 200); // another user
	clock.advance(std::chrono::seconds(1));
	EXPECT_EQ(call("GET", "/api/v1/servers", "alice", "", "10.0.0.4").status, 200);
}

TEST_F(ApiRateTest, AnAddressGuessingCredentialsIsLimitedBeforeTheyAreChecked) {
	for (int i = 0; i < 10; ++i)
		EXPECT_EQ(call("GET", "/api/v1/servers", "guess" + std::to_string(i), "", "10.9.9.9").status, 401);
	int before = auth.calls;
	expect_error(call("GET", "/api/v1/servers", "guess-x", "", "10.9.9.9"), 429, "rate_limited");
	EXPECT_EQ(auth.calls, before); // refused before the Authenticator ran
}

} // namespace
