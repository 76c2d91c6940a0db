#include "test/unit/web/web_harness.h"

#include <nlohmann/json.hpp>

#include "serversan/server/store/web_login.h"

namespace serversan::testing {

void WebTest::SetUp() {
	store = store::open_sqlite_store(dir.file("s.db")).value();
	auth = std::make_unique<web::SessionAuth>(*store, clock);
	web::add_auth_routes(routes, web::AuthDeps{*store, clock, *auth, std::string(kBotToken)});
}

ingest::RouteResponse WebTest::call(const Req& r) {
	const ingest::Route* route = routes.find(r.method, r.path);
	if (!route) {
		ingest::RouteResponse none;
		none.status = 404;
		return none;
	}
	ingest::RouteRequest req;
	req.method = r.method;
	req.path = r.path;
	req.client_ip = r.ip;
	req.body = r.body;
	req.headers = &r.headers;
	req.tls = r.tls;
	return route->handler(req);
}

std::string WebTest::link_for(int64_t user_id) {
	return store::issue_login_link(*store, user_id, now_ms()).value();
}

std::string WebTest::login(int64_t user_id) {
	auto r = call({"POST", "/login/" + link_for(user_id)});
	EXPECT_EQ(r.status, 303);
	return cookie_from(header_of(r, "Set-Cookie"));
}

std::string WebTest::csrf_of(const std::string& cookie) {
	auto r = call({"GET", "/api/v1/me", "", {{"Cookie", "ss_session=" + cookie}}});
	EXPECT_EQ(r.status, 200) << r.body;
	return nlohmann::json::parse(r.body).value("csrf", "");
}

void WebTest::add_user(int64_t id, std::string name, std::string role) {
	store::User u;
	u.telegram_id = id;
	u.display_name = std::move(name);
	u.role = std::move(role);
	u.created_ms = now_ms();
	ASSERT_TRUE(store->create_user(u).value());
}

std::string header_of(const ingest::RouteResponse& r, std::string_view name) {
	for (const auto& [n, v] : r.headers)
		if (ingest::iequals_ascii(n, name))
			return v;
	return {};
}

std::string cookie_from(const std::string& set_cookie) {
	std::string_view v = set_cookie;
	if (!v.starts_with("ss_session="))
		return {};
	v.remove_prefix(11);
	return std::string(v.substr(0, v.find(';')));
}

} // namespace serversan::testing
