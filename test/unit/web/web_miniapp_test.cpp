// The Telegram Mini App's login with init data signed here the way Telegram signs it: valid data
// starts a session, a wrong hash, stale or future data and unknown users do not.
#include <nlohmann/json.hpp>

#include "serversan/server/web/miniapp.h"
#include "test/unit/web/web_harness.h"

using namespace serversan;
using namespace serversan::testing;
using json = nlohmann::json;

namespace {

std::string encode(std::string_view s) {
	std::string out;
	for (unsigned char c : s) {
		if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			out += static_cast<char>(c);
		else
			out += fmt::format("%{:02X}", c);
	}
	return out;
}

// initData as Telegram builds it: URL-encoded fields and the hash over them.
std::string init_data(int64_t user_id, int64_t auth_date, std::string_view token = kBotToken) {
	std::vector<std::pair<std::string, std::string>> fields = {
	    {"query_id", "AAHdF6IQAAAAAN0XohDhrOrc"},
	    {"user",
	     fmt::format(
	         R"({{"id":{},"first_name":"Alice","last_name":"","username":"alice","language_code":"en"}})",
	         user_id)},
	    {"auth_date", std::to_string(auth_date)},
	};
	std::string hash = web::init_data_hash(fields, token);
	std::string out;
	for (const auto& [k, v] : fields)
		out += k + "=" + encode(v) + "&";
	return out + "hash=" + hash;
}

struct WebMiniApp : WebTest {
	ingest::RouteResponse post(const std::string& data) {
		return call({"POST", "/api/v1/auth/miniapp", json{{"init_data", data}}.dump()});
	}
	int64_t now_s() const { return clock.unix_seconds(); }
};

} // namespace

TEST_F(WebMiniApp, SignedFreshInitDataLogsARegisteredUserIn) {
	add_user(42, "Alice");
	auto r = post(init_data(42, now_s() - 30));
	ASSERT_EQ(r.status, 200) << r.body;
	auto me = json::parse(r.body);
	EXPECT_EQ(me["user_id"], 42);
	EXPECT_EQ(me["via"], "session");
	std::string cookie = cookie_from(header_of(r, "Set-Cookie"));
	ASSERT_FALSE(cookie.empty());
	EXPECT_EQ(csrf_of(cookie), me["csrf"]);
	EXPECT_EQ(store->web_sessions_of(42, now_ms()).value().at(0).via, "miniapp");
}

TEST_F(WebMiniApp, AWrongHashOrAnotherBotsDataIsRefused) {
	add_user(42, "Alice");
	std::string data = init_data(42, now_s());
	std::string tampered = data;
	tampered.replace(tampered.find("%22id%22%3A42"), 13, "%22id%22%3A43");
	EXPECT_EQ(post(tampered).status, 401);
	EXPECT_EQ(post(init_data(42, now_s(), "999:another-bot")).status, 401);
	EXPECT_EQ(post(data.substr(0, data.find("&hash="))).status, 401);
	EXPECT_EQ(post(data).status, 200);
}

TEST_F(WebMiniApp, StaleOrFutureInitDataIsRefused) {
	add_user(42, "Alice");
	EXPECT_EQ(post(init_data(42, now_s() - 24 * 3600 - 1)).status, 401);
	EXPECT_EQ(post(init_data(42, now_s() + 3600)).status, 401);
	EXPECT_EQ(post(init_data(42, now_s() - 24 * 3600 + 60)).status, 200);
}

TEST_F(WebMiniApp, UsersTheBotNeverRegisteredAreSentToStart) {
	auto r = post(init_data(77, now_s()));
	EXPECT_EQ(r.status, 403);
	EXPECT_NE(r.body.find("/start"), std::string::npos);
	EXPECT_TRUE(header_of(r, "Set-Cookie").empty());
}

TEST_F(WebMiniApp, TheCheckItselfNamesWhyWithoutTheData) {
	auto ok = web::verify_init_data(init_data(5, 1000), kBotToken, 1000);
	ASSERT_TRUE(ok.ok()) << ok.error().message;
	EXPECT_EQ(ok->id, 5);
	EXPECT_EQ(ok->username, "alice");
	EXPECT_EQ(web::verify_init_data("%zz", kBotToken, 1000).error().message, "init data is not form-encoded");
	EXPECT_EQ(web::verify_init_data(init_data(5, 1000), "", 1000).error().message, "no bot token configured");
	EXPECT_EQ(post("").status, 401);
	EXPECT_EQ(call({"POST", "/api/v1/auth/miniapp", "not json"}).status, 400);
}
