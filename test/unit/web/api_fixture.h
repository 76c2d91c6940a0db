// The JSON API over a real SQLite store, a moved clock and a fake Authenticator: user A (1001)
// and user B (1002) each own servers, the console operator (0) owns the one added on the
// console. Requests are RouteRequest values handed to the router, as the listener would.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serversan/core/clock.h"
#include "serversan/server/store/store.h"
#include "serversan/server/web/api.h"
#include "test/unit/server/test_support.h"

namespace serversan::web::testing {

// Credentials are "Bearer <name>" (API token) or "Cookie: ss_session=<name>" (session, CSRF
// "csrf-<name>"); known names map to principals.
class FakeAuth final : public Authenticator {
public:
	std::map<std::string, int64_t> users; // name -> user id
	int calls = 0;
	std::optional<Principal> authenticate(const ingest::RouteRequest& r) override {
		++calls;
		std::string_view auth = r.header("Authorization"), cookie = r.header("Cookie");
		Principal p;
		std::string name;
		if (auth.starts_with("Bearer ")) {
			name = std::string(auth.substr(7));
			p.via = Principal::Via::api_token;
		} else if (cookie.starts_with("ss_session=")) {
			name = std::string(cookie.substr(11));
			p.csrf = "csrf-" + name;
		} else {
			return std::nullopt;
		}
		auto it = users.find(name);
		if (it == users.end())
			return std::nullopt;
		p.user_id = it->second;
		return p;
	}
};

// Who is in which group, as the bot's getChatMember would say; `down` answers errors (Telegram
// unreachable). Counts the questions, as each would be a Telegram call without a cache.
class FakeMembership final : public fleet::GroupMembership {
public:
	std::map<std::pair<int64_t, int64_t>, fleet::Membership> roles; // (chat, user)
	bool down = false;
	int calls = 0;
	Result<fleet::Membership> role(int64_t chat, int64_t user) override {
		++calls;
		if (down)
			return Err("Telegram is unreachable");
		auto it = roles.find({chat, user});
		return it == roles.end() ? fleet::Membership::none : it->second;
	}
};

struct Answer {
	int status = 0;
	nlohmann::json json;
	ingest::RouteResponse raw;
};

inline constexpr int64_t kUserA = 1001, kUserB = 1002;

class ApiTest : public ::testing::Test {
protected:
	serversan::testing::TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store = store::open_sqlite_store(dir.file("api.db")).value();
	FakeAuth auth;
	int rules_changed = 0;
	ApiDeps deps;
	std::shared_ptr<ApiRouter> router;
	uint64_t a_web = 0, a_db = 0, b_secret = 0, console = 0;
	uint64_t seq = 0;

	void SetUp() override {
		auth.users = {{"alice", kUserA}, {"bob", kUserB}, {"root", 0}};
		deps.store = store.get();
		deps.auth = &auth;
		deps.clock = &clock;
		deps.public_url = "https://mon.example.com";
		deps.rules_changed = [this] { ++rules_changed; };
		deps.limits.per_address = {1000, 1000};
		deps.limits.per_user = {1000, 1000};
		configure(deps);
		router = make_api_router(deps);
		for (int64_t u : {kUserA, kUserB})
			ASSERT_TRUE(store->create_user({u, "", "user" + std::to_string(u)}).ok());
		a_web = store->create_server(kUserA, "a-web", SigningKey{}, now()).value();
		a_db = store->create_server(kUserA, "a-db", SigningKey{}, now()).value();
		b_secret = store->create_server(kUserB, "b-secret", SigningKey{}, now()).value();
		console = store->create_server(std::nullopt, "console-box", SigningKey{}, now()).value();
	}
	virtual void configure(ApiDeps&) {}

	int64_t now() const { return clock.unix_millis(); }

	// Stores one report of the server at the current time.
	std::vector<store::IngestOutcome> report(uint64_t server, Report r) {
		r.seq = ++seq;
		r.time_ms = now();
		store::IngestBatch b;
		b.server_id = server;
		b.batch.stream = "0123456789abcdef";
		b.batch.agent_version = "0.1.0";
		b.batch.reports.push_back(std::move(r));
		b.received_ms = now();
		std::vector<store::IngestBatch> batches{b};
		last_batches = batches;
		return store->append(batches).value();
	}
	std::vector<store::IngestOutcome> report(uint64_t server) {
		return report(server, serversan::testing::sample_report(0, 0));
	}
	std::vector<store::IngestBatch> last_batches;

	// who: "alice" (token), "cookie:alice" (session with CSRF), "cookie-nocsrf:alice", "" (none).
	Answer call(std::string method, std::string target, std::string who = "alice", std::string body = "",
	            std::string ip = "127.0.0.1") {
		std::vector<std::pair<std::string, std::string>> headers;
		if (who.starts_with("cookie:")) {
			headers.emplace_back("Cookie", "ss_session=" + who.substr(7));
			headers.emplace_back("X-CSRF-Token", "csrf-" + who.substr(7));
		} else if (who.starts_with("cookie-nocsrf:")) {
			headers.emplace_back("Cookie", "ss_session=" + who.substr(14));
		} else if (!who.empty()) {
			headers.emplace_back("Authorization", "Bearer " + who);
		}
		size_t q = target.find('?');
		std::string path = target.substr(0, q), query = q == std::string::npos ? "" : target.substr(q + 1);
		ingest::RouteRequest r;
		r.method = method;
		r.path = path;
		r.query = query;
		r.body = body;
		r.client_ip = ip;
		r.headers = &headers;
		Answer a;
		a.raw = router->handle(r);
		a.status = a.raw.status;
		if (a.raw.content_type == "application/json")
			a.json = nlohmann::json::parse(a.raw.body);
		return a;
	}
};

} // namespace serversan::web::testing
