// A group's servers on the web (fleet/user_access.h): group G ("Ops") owns g-web. Alice (a member
// of G) sees it in every read, with "group" in its JSON, and gets 403 on every write; Carol (G's
// admin) may change it, its thresholds living in G's chat; Bob (used the bot in G, then left) gets
// 404 on everything of G's. Telegram down: only private servers, writes refused. No group servers,
// or none in a group the bot saw the user in: no Telegram call at all.
#include "serversan/server/alerts/rule_catalog.h"
#include "test/unit/web/api_fixture.h"

using namespace serversan;
using namespace serversan::web;
using namespace serversan::web::testing;

namespace {

inline constexpr int64_t kGroup = -100500, kCarol = 1003;

struct ApiGroupsBase : ApiTest {
	FakeMembership membership;
	void configure(ApiDeps& d) override {
		auth.users["carol"] = kCarol;
		membership.roles[{kGroup, kUserA}] = fleet::Membership::member;
		membership.roles[{kGroup, kCarol}] = fleet::Membership::admin;
		d.membership = &membership;
	}
};

struct ApiGroups : ApiGroupsBase {
	uint64_t g_web = 0;
	std::string g; // g_web's id as text
	void SetUp() override {
		ApiGroupsBase::SetUp();
		g_web = store->create_server(kGroup, "g-web", SigningKey{}, now()).value();
		g = std::to_string(g_web);
		report(g_web);
		// Each of them sent the bot a command in G (the dispatcher notes it).
		for (int64_t u : {kUserA, kCarol, kUserB})
			ASSERT_TRUE(store->note_chat_member(kGroup, u, "Ops", now()).ok());
	}
	const nlohmann::json* find(const nlohmann::json& list, uint64_t id) {
		for (const auto& s : list)
			if (s["id"] == id)
				return &s;
		return nullptr;
	}
};

TEST_F(ApiGroups, AMemberSeesTheGroupsServersEverywhereItReads) {
	Answer list = call("GET", "/api/v1/servers");
	ASSERT_EQ(list.status, 200) << list.raw.body;
	ASSERT_EQ(list.json["servers"].size(), 3u); // a-web, a-db, g-web, in id order
	const nlohmann::json* gw = find(list.json["servers"], g_web);
	ASSERT_NE(gw, nullptr);
	EXPECT_EQ((*gw)["chat_id"], kGroup);
	EXPECT_EQ((*gw)["group"], (nlohmann::json{{"id", kGroup}, {"title", "Ops"}, {"admin", false}}));
	EXPECT_TRUE((*find(list.json["servers"], a_web))["group"].is_null()); // private: null

	Answer detail = call("GET", "/api/v1/servers/" + g);
	ASSERT_EQ(detail.status, 200) << detail.raw.body;
	EXPECT_EQ(detail.json["name"], "g-web");
	EXPECT_EQ(detail.json["group"]["admin"], false);
	EXPECT_EQ(detail.json["group"]["title"], "Ops");

	Answer series =
	    call("GET", "/api/v1/servers/" + g + "/series?metric=cpu.busy&from=0&to=" + std::to_string(now()));
	EXPECT_EQ(series.status, 200) << series.raw.body;
	EXPECT_EQ(call("GET", "/api/v1/series?metric=cpu.busy&servers=" + std::to_string(a_web) + "," + g).status,
	          200);

	// Its alert, with the group's own rule (set by /threshold in the group), not Alice's.
	store::AlertRule rule;
	rule.owner_chat = kGroup;
	rule.metric = std::string(alerts::find_kind("cpu")->metric);
	rule.threshold = 55;
	ASSERT_TRUE(store->create_alert_rule(rule).ok());
	store::AlertState firing{0, g_web, "", "firing", now(), 70.0};
	firing.metric = rule.metric;
	ASSERT_TRUE(store->put_alert_state(firing).ok());
	Answer alerts = call("GET", "/api/v1/alerts");
	ASSERT_EQ(alerts.json["alerts"].size(), 1u) << alerts.raw.body;
	EXPECT_EQ(alerts.json["alerts"][0]["server"], g_web);
	EXPECT_EQ(alerts.json["alerts"][0]["threshold"], 55);
	EXPECT_EQ(call("GET", "/api/v1/alerts?server=" + g).json["alerts"].size(), 1u);

	// Its events (its first report's too), beside Alice's own, and none of Bob's.
	for (const store::Event& e :
	     {store::Event{0, now(), "server_offline", g_web, kGroup, "g-web", "gone"},
	      store::Event{0, now(), "server_offline", a_web, kUserA, "a-web", "gone"},
	      store::Event{0, now(), "server_offline", b_secret, kUserB, "b-secret", "x"}})
		ASSERT_TRUE(store->add_event(e).ok());
	Answer events = call("GET", "/api/v1/events");
	ASSERT_EQ(events.json["events"].size(), 3u) << events.raw.body;
	EXPECT_EQ(events.json["events"][0]["server_name"], "a-web");
	EXPECT_EQ(call("GET", "/api/v1/events?after=0").json["events"].size(), 3u);
	EXPECT_EQ(call("GET", "/api/v1/events?server=" + g).json["events"].size(), 2u);

	// The thresholds a member reads are the group's.
	Answer rules = call("GET", "/api/v1/thresholds?server=" + g);
	ASSERT_EQ(rules.status, 200);
	EXPECT_EQ(rules.json["rules"][0]["kind"], "cpu");
	EXPECT_EQ(rules.json["rules"][0]["threshold"], 55);
	EXPECT_EQ(rules.json["rules"][0]["source"], "chat");

	std::string prom = call("GET", "/api/v1/prometheus").raw.body;
	EXPECT_NE(prom.find("g-web"), std::string::npos);
}

TEST_F(ApiGroups, AMemberCannotChangeTheGroupsServer) {
	for (auto [method, target, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
	         {"PATCH", "/api/v1/servers/" + g, R"({"name": "mine"})"},
	         {"DELETE", "/api/v1/servers/" + g, ""},
	         {"POST", "/api/v1/servers/" + g + "/token", ""},
	         {"PUT", "/api/v1/thresholds", R"({"server": )" + g + R"(, "kind": "cpu", "threshold": 70})"},
	         {"DELETE", "/api/v1/thresholds?server=" + g + "&kind=cpu", ""}}) {
		Answer a = call(method, target, "alice", body);
		EXPECT_EQ(a.status, 403) << method << " " << target << ": " << a.raw.body;
		EXPECT_EQ(a.json["error"]["message"], "only the group's admins can change this server");
	}
	EXPECT_EQ(store->find_server(g_web).value()->name, "g-web");
	EXPECT_TRUE(store->list_alert_rules(kGroup).value().empty());
	EXPECT_EQ(rules_changed, 0);
}

TEST_F(ApiGroups, TheGroupsAdminChangesItAndItsThresholdsLiveInTheGroup) {
	Answer list = call("GET", "/api/v1/servers", "carol");
	ASSERT_EQ(list.json["servers"].size(), 1u); // Carol has no servers of her own
	EXPECT_EQ(list.json["servers"][0]["group"]["admin"], true);

	Answer renamed = call("PATCH", "/api/v1/servers/" + g, "carol", R"({"name": "g-api"})");
	ASSERT_EQ(renamed.status, 200) << renamed.raw.body;
	EXPECT_EQ(renamed.json["name"], "g-api");
	EXPECT_EQ(renamed.json["group"]["id"], kGroup);

	Answer put = call("PUT", "/api/v1/thresholds", "carol",
	                  R"({"server": )" + g + R"(, "kind": "cpu", "threshold": 70})");
	ASSERT_EQ(put.status, 200) << put.raw.body;
	auto group_rules = store->list_alert_rules(kGroup).value();
	ASSERT_EQ(group_rules.size(), 1u); // in the group's chat, as /threshold there would store it
	EXPECT_EQ(group_rules[0].server_id, g_web);
	EXPECT_EQ(group_rules[0].threshold, 70);
	EXPECT_TRUE(store->list_alert_rules(kCarol).value().empty());
	// Alice, a member, reads the rule Carol set.
	EXPECT_EQ(call("GET", "/api/v1/thresholds?server=" + g).json["rules"][0]["threshold"], 70);
	Answer back = call("DELETE", "/api/v1/thresholds?server=" + g + "&kind=cpu", "carol");
	ASSERT_EQ(back.status, 200);
	EXPECT_EQ(back.json["removed"], true);

	EXPECT_EQ(call("POST", "/api/v1/servers/" + g + "/token", "carol").status, 200);
	EXPECT_EQ(call("DELETE", "/api/v1/servers/" + g, "carol").status, 200);
	EXPECT_FALSE(store->find_server(g_web).value().has_value());
}

TEST_F(ApiGroups, SomeoneNotInTheGroupGets404OnEverything) {
	EXPECT_EQ(call("GET", "/api/v1/servers", "bob").json["servers"].size(), 1u); // b-secret only
	for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
	         {"GET", "/api/v1/servers/" + g},
	         {"GET", "/api/v1/servers/" + g + "/series?metric=cpu.busy"},
	         {"GET", "/api/v1/series?metric=cpu.busy&servers=" + g},
	         {"GET", "/api/v1/alerts?server=" + g},
	         {"GET", "/api/v1/events?server=" + g},
	         {"GET", "/api/v1/thresholds?server=" + g},
	         {"PATCH", "/api/v1/servers/" + g},
	         {"DELETE", "/api/v1/servers/" + g},
	         {"POST", "/api/v1/servers/" + g + "/token"}})
		EXPECT_EQ(call(method, target, "bob", method == "PATCH" ? R"({"name": "x"})" : "").status, 404)
		    << method << " " << target;
	EXPECT_EQ(call("GET", "/api/v1/prometheus", "bob").raw.body.find("g-web"), std::string::npos);
}

TEST_F(ApiGroups, TelegramDownListsOnlyPrivateServersAndRefusesWrites) {
	membership.down = true;
	::testing::internal::CaptureStderr();
	Answer list = call("GET", "/api/v1/servers");
	ASSERT_EQ(list.status, 200);
	EXPECT_EQ(list.json["servers"].size(), 2u); // a-web and a-db
	EXPECT_EQ(call("GET", "/api/v1/servers").json["servers"].size(), 2u);
	std::string log = ::testing::internal::GetCapturedStderr();
	// A dashboard polls: one line for the outage, not one per request.
	size_t first = log.find("cannot ask Telegram who is in group -100500");
	EXPECT_NE(first, std::string::npos) << log;
	EXPECT_EQ(log.find("cannot ask Telegram", first + 1), std::string::npos) << log;
	EXPECT_EQ(call("GET", "/api/v1/servers/" + g).status, 404);
	EXPECT_EQ(call("PATCH", "/api/v1/servers/" + g, "carol", R"({"name": "x"})").status, 404);
	EXPECT_EQ(call("DELETE", "/api/v1/servers/" + g, "carol").status, 404);
	EXPECT_TRUE(store->find_server(g_web).value().has_value());
	membership.down = false; // Telegram is back: so is the group's server
	EXPECT_EQ(call("GET", "/api/v1/servers").json["servers"].size(), 3u);
}

// Telegram is asked only about the groups the bot saw the user in: a member who never used the bot
// in G neither sees its servers (in the list or by id) nor costs a call; once noted, they do.
TEST_F(ApiGroupsBase, AGroupsServersShowOnceTheMemberUsedTheBotThere) {
	uint64_t g_web = store->create_server(kGroup, "g-web", SigningKey{}, now()).value();
	std::string g = std::to_string(g_web);
	// Alice used the bot in another group, which owns no servers: nothing to ask there either.
	ASSERT_TRUE(store->note_chat_member(-300, kUserA, "Friends", now()).ok());
	EXPECT_EQ(call("GET", "/api/v1/servers").json["servers"].size(), 2u); // a-web and a-db
	EXPECT_EQ(call("GET", "/api/v1/servers/" + g).status, 404);
	EXPECT_EQ(call("GET", "/api/v1/alerts").status, 200);
	EXPECT_EQ(call("GET", "/api/v1/events").status, 200);
	EXPECT_EQ(call("PATCH", "/api/v1/servers/" + g, "carol", R"({"name": "x"})").status, 404);
	EXPECT_EQ(membership.calls, 0);

	ASSERT_TRUE(store->note_chat_member(kGroup, kUserA, "Ops", now()).ok()); // Alice's /list in G
	Answer list = call("GET", "/api/v1/servers");
	ASSERT_EQ(list.json["servers"].size(), 3u) << list.raw.body;
	EXPECT_EQ(list.json["servers"][2]["group"],
	          (nlohmann::json{{"id", kGroup}, {"title", "Ops"}, {"admin", false}}));
	EXPECT_EQ(membership.calls, 1); // G only
	EXPECT_EQ(call("GET", "/api/v1/servers/" + g).json["group"]["title"], "Ops");
	// The group was renamed and someone used the bot there since: the new title shows.
	ASSERT_TRUE(store->note_chat_member(kGroup, kCarol, "Ops & SRE", now()).ok());
	EXPECT_EQ(call("GET", "/api/v1/servers/" + g).json["group"]["title"], "Ops & SRE");
}

// A store without group servers never asks who is in which group.
TEST_F(ApiGroupsBase, NoGroupServersNoTelegramCall) {
	EXPECT_EQ(call("GET", "/api/v1/servers").json["servers"].size(), 2u);
	EXPECT_EQ(call("GET", "/api/v1/servers/" + std::to_string(a_web)).status, 200);
	EXPECT_EQ(call("GET", "/api/v1/servers/" + std::to_string(b_secret)).status, 404);
	EXPECT_EQ(call("GET", "/api/v1/alerts").status, 200);
	EXPECT_EQ(call("GET", "/api/v1/events").status, 200);
	EXPECT_EQ(call("GET", "/api/v1/servers", "root").json["servers"].size(), 1u);
	EXPECT_EQ(membership.calls, 0);
}

} // namespace
