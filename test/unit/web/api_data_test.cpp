// Series (tier, cap, compare), alerts and events, thresholds (the same effective rules /threshold
// shows) and notification settings through the API.
#include "serversan/server/alerts/rule_catalog.h"
#include "test/unit/web/api_fixture.h"

using namespace serversan;
using namespace serversan::web;
using namespace serversan::web::testing;

namespace {

using ApiData = ApiTest;

TEST_F(ApiData, SeriesOfOneServerIsCappedAtPoints) {
	int64_t start = now();
	for (int i = 0; i < 100; ++i) {
		report(a_web);
		clock.advance(std::chrono::seconds(2));
	}
	std::string base = "/api/v1/servers/" + std::to_string(a_web) +
	                   "/series?metric=cpu.busy&from=" + std::to_string(start) +
	                   "&to=" + std::to_string(now());
	Answer all = call("GET", base);
	ASSERT_EQ(all.status, 200) << all.raw.body;
	EXPECT_EQ(all.json["server"], a_web);
	EXPECT_EQ(all.json["metric"], "cpu.busy");
	EXPECT_EQ(all.json["unit"], "%");
	EXPECT_EQ(all.json["tier"], "raw");
	EXPECT_EQ(all.json["t"].size(), 100u);
	EXPECT_EQ(all.json["v"].size(), 100u);
	EXPECT_DOUBLE_EQ(all.json["v"][0].get<double>(), 16);
	EXPECT_FALSE(all.json.contains("min")); // raw samples have no band

	Answer capped = call("GET", base + "&points=10");
	ASSERT_EQ(capped.status, 200);
	EXPECT_EQ(capped.json["t"].size(), 10u);
	EXPECT_DOUBLE_EQ(capped.json["v"][9].get<double>(), 16);
	EXPECT_EQ(capped.json["t"][1].get<int64_t>() - capped.json["t"][0].get<int64_t>(), 20'000);

	EXPECT_EQ(call("GET", base + "&points=0").status, 400);
	EXPECT_EQ(call("GET", "/api/v1/servers/" + std::to_string(a_web) + "/series?metric=nope").status, 400);
	EXPECT_EQ(call("GET", "/api/v1/servers/" + std::to_string(a_web) + "/series?metric=cpu.busy&from=5&to=5")
	              .status,
	          400);
	// A month picks a rolled-up tier: the finest that fits in about `points` buckets.
	Answer month = call("GET", "/api/v1/servers/" + std::to_string(a_web) + "/series?metric=cpu.busy&from=" +
	                               std::to_string(now() - 30 * store::kDayMs) + "&points=600");
	ASSERT_EQ(month.status, 200);
	EXPECT_EQ(month.json["tier"], "1h");
	EXPECT_TRUE(month.json.contains("min"));
}

TEST_F(ApiData, CompareReadsOneMetricOfSeveralServers) {
	report(a_web);
	report(a_db);
	clock.advance(std::chrono::seconds(1));
	Answer a = call("GET", "/api/v1/series?metric=mem.used&servers=" + std::to_string(a_web) + "%2C" +
	                           std::to_string(a_db));
	ASSERT_EQ(a.status, 200) << a.raw.body;
	ASSERT_EQ(a.json["series"].size(), 2u);
	EXPECT_EQ(a.json["series"][0]["server_name"], "a-web");
	EXPECT_EQ(a.json["series"][1]["server_name"], "a-db");
	EXPECT_EQ(a.json["series"][1]["v"].size(), 1u);
	EXPECT_EQ(call("GET", "/api/v1/series?metric=cpu.busy&servers=").status, 400);
}

TEST_F(ApiData, AlertsAreTheFiringAndPendingOnesWithTheirRule) {
	std::string cpu(alerts::find_kind("cpu")->metric);
	store::AlertState firing{0, a_web, "", "firing", now() - 60'000, 97.5};
	firing.metric = cpu;
	store::AlertState ok{0, a_db, "", "ok", now(), 10.0};
	ok.metric = cpu;
	store::AlertState theirs{0, b_secret, "", "firing", now(), 99.0};
	theirs.metric = cpu;
	for (const auto& s : {firing, ok, theirs})
		ASSERT_TRUE(store->put_alert_state(s).ok());
	Answer a = call("GET", "/api/v1/alerts");
	ASSERT_EQ(a.status, 200) << a.raw.body;
	ASSERT_EQ(a.json["alerts"].size(), 1u);
	const auto& al = a.json["alerts"][0];
	EXPECT_EQ(al["server"], a_web);
	EXPECT_EQ(al["server_name"], "a-web");
	EXPECT_EQ(al["kind"], "cpu");
	EXPECT_EQ(al["state"], "firing");
	EXPECT_EQ(al["value"], 97.5);
	EXPECT_EQ(al["since_ms"], now() - 60'000);
	EXPECT_EQ(al["threshold"], alerts::default_rule(*alerts::find_kind("cpu")).threshold);
	EXPECT_EQ(call("GET", "/api/v1/alerts?state=pending").json["alerts"].size(), 0u);
	EXPECT_EQ(call("GET", "/api/v1/alerts?state=nonsense").status, 400);
	EXPECT_EQ(call("GET", "/api/v1/servers").json["servers"][0]["firing"], 1);
}

TEST_F(ApiData, EventsAreTheUsersOwn) {
	store::Event mine{0, now(), "server_offline", a_web, kUserA, "a-web", "no report for 5 min"};
	store::Event theirs{0, now(), "server_offline", b_secret, kUserB, "b-secret", "gone"};
	store::Event console_event{0, now(), "server_online", console, std::nullopt, "console-box", "back"};
	for (const auto& e : {mine, theirs, console_event})
		ASSERT_TRUE(store->add_event(e).ok());
	Answer a = call("GET", "/api/v1/events");
	ASSERT_EQ(a.status, 200) << a.raw.body;
	ASSERT_EQ(a.json["events"].size(), 1u);
	EXPECT_EQ(a.json["events"][0]["server_name"], "a-web");
	EXPECT_EQ(a.json["events"][0]["kind"], "server_offline");
	EXPECT_EQ(a.json["events"][0]["detail"], "no report for 5 min");
	Answer root = call("GET", "/api/v1/events", "root");
	ASSERT_EQ(root.json["events"].size(), 1u);
	EXPECT_EQ(root.json["events"][0]["server_name"], "console-box");
	uint64_t first = a.json["events"][0]["id"];
	EXPECT_EQ(call("GET", "/api/v1/events?after=" + std::to_string(first)).json["events"].size(), 0u);
}

// The Alerts page pages back in time: newest first, 2 at a time, each page's next_before the
// next request's before; two events in one millisecond at a page's edge both come in that page.
TEST_F(ApiData, EventsPageBackInTimeWithBefore) {
	const int64_t t = now();
	for (int64_t dt : {0, 10, 20, 20, 30}) {
		store::Event e{0, t + dt, "server_offline", a_web, kUserA, "a-web", "at +" + std::to_string(dt)};
		ASSERT_TRUE(store->add_event(e).ok());
	}
	store::Event theirs{0, t + 25, "server_offline", b_secret, kUserB, "b-secret", "gone"};
	ASSERT_TRUE(store->add_event(theirs).ok());
	auto details = [](const Answer& a) {
		std::vector<std::string> out;
		for (const auto& e : a.json["events"])
			out.push_back(e["detail"]);
		return out;
	};
	Answer p1 = call("GET", "/api/v1/events?limit=2");
	ASSERT_EQ(p1.status, 200) << p1.raw.body;
	EXPECT_EQ(details(p1), (std::vector<std::string>{"at +30", "at +20", "at +20"}));
	ASSERT_EQ(p1.json["next_before"], t + 20);
	Answer p2 = call("GET", "/api/v1/events?limit=2&before=" + std::to_string(t + 20));
	EXPECT_EQ(details(p2), (std::vector<std::string>{"at +10", "at +0"}));
	Answer p3 = call("GET", "/api/v1/events?limit=2&before=" + std::to_string(t));
	EXPECT_TRUE(p3.json["events"].empty());
	EXPECT_TRUE(p3.json["next_before"].is_null()); // nothing older
	// One server's, and the paging-forward form still oldest first.
	EXPECT_EQ(details(call("GET", "/api/v1/events?limit=1&server=" + std::to_string(a_web))),
	          (std::vector<std::string>{"at +30"}));
	EXPECT_EQ(details(call("GET", "/api/v1/events?limit=2&after=0")),
	          (std::vector<std::string>{"at +0", "at +10"}));
	EXPECT_EQ(call("GET", "/api/v1/events?after=1&before=5").status, 400);
	EXPECT_EQ(call("GET", "/api/v1/events?before=soon").status, 400);
}

// The console operator pages over servers without an owner only: a full page of them, however
// many of other users' events lie between.
TEST_F(ApiData, ConsoleOperatorsEventsPageOverUnownedServersOnly) {
	const int64_t t = now();
	for (int i = 0; i < 3; ++i) {
		ASSERT_TRUE(
		    store->add_event({0, t + i, "server_online", console, std::nullopt, "console-box", "c"}).ok());
		ASSERT_TRUE(store->add_event({0, t + 100 + i, "server_offline", a_web, kUserA, "a-web", "a"}).ok());
	}
	Answer root = call("GET", "/api/v1/events?limit=2", "root");
	ASSERT_EQ(root.json["events"].size(), 2u);
	EXPECT_EQ(root.json["events"][0]["ts_ms"], t + 2);
	EXPECT_EQ(root.json["events"][1]["server_name"], "console-box");
}

// A threshold written through the API is what the engine and /threshold read: the effective rules.
TEST_F(ApiData, ThresholdWrittenIsTheEffectiveRule) {
	std::string id = std::to_string(a_web);
	Answer put = call("PUT", "/api/v1/thresholds", "alice",
	                  R"({"server": )" + id + R"(, "kind": "cpu", "threshold": 75, "for_s": 300,
	                  "severity": "critical"})");
	ASSERT_EQ(put.status, 200) << put.raw.body;
	EXPECT_EQ(put.json["source"], "server");
	EXPECT_EQ(rules_changed, 1);

	auto rules = store->list_alert_rules(kUserA).value();
	auto effective = alerts::effective_rules(rules, a_web);
	const alerts::EffectiveRule* cpu = nullptr;
	for (const auto& e : effective)
		if (e.kind->name == "cpu" && e.rule.device.empty())
			cpu = &e;
	ASSERT_NE(cpu, nullptr);
	EXPECT_EQ(cpu->rule.threshold, 75);
	EXPECT_EQ(cpu->rule.for_s, 300);
	EXPECT_EQ(cpu->rule.severity, "critical");
	EXPECT_EQ(cpu->source, alerts::RuleSource::server);

	// GET shows the same list, kind by kind.
	Answer got = call("GET", "/api/v1/thresholds?server=" + id);
	ASSERT_EQ(got.status, 200);
	ASSERT_EQ(got.json["rules"].size(), effective.size());
	for (size_t i = 0; i < effective.size(); ++i) {
		EXPECT_EQ(got.json["rules"][i]["kind"], effective[i].kind->name);
		EXPECT_EQ(got.json["rules"][i]["threshold"], effective[i].rule.threshold);
		EXPECT_EQ(got.json["rules"][i]["enabled"], effective[i].rule.enabled);
	}
	// The other server keeps the chat's default; a chat-wide PUT reaches it.
	EXPECT_EQ(call("GET", "/api/v1/thresholds?server=" + std::to_string(a_db)).json["rules"][0]["source"],
	          "builtin");
	ASSERT_EQ(call("PUT", "/api/v1/thresholds", "alice", R"({"kind": "cpu", "threshold": 60})").status, 200);
	EXPECT_EQ(call("GET", "/api/v1/thresholds?server=" + std::to_string(a_db)).json["rules"][0]["threshold"],
	          60);

	EXPECT_EQ(call("PUT", "/api/v1/thresholds", "alice", R"({"kind": "cpu", "threshold": 1000})").status,
	          400);
	EXPECT_EQ(call("PUT", "/api/v1/thresholds", "alice", R"({"kind": "nope", "threshold": 10})").status, 400);
	EXPECT_EQ(call("PUT", "/api/v1/thresholds", "alice", R"({"kind": "cpu", "severity": "panic"})").status,
	          400);
	EXPECT_EQ(call("PUT", "/api/v1/thresholds", "alice", R"({"kind": "cpu", "threshold": "high"})").status,
	          400);

	Answer del = call("DELETE", "/api/v1/thresholds?server=" + id + "&kind=cpu");
	ASSERT_EQ(del.status, 200);
	EXPECT_EQ(del.json["removed"], true);
	EXPECT_EQ(del.json["rule"]["threshold"], 60); // back to the chat's rule
	EXPECT_EQ(del.json["rule"]["source"], "chat");
}

// A rule sent to a group with /threshold ... here shows where it goes, and a PUT keeps that route
// (a route is only set from the group, where Telegram proves membership).
TEST_F(ApiData, ThresholdRouteShownAndKept) {
	std::string id = std::to_string(a_web);
	ASSERT_EQ(call("PUT", "/api/v1/thresholds", "alice",
	               R"({"server": )" + id + R"(, "kind": "ram", "threshold": 80})")
	              .status,
	          200);
	auto rules = store->list_alert_rules(kUserA).value();
	ASSERT_EQ(rules.size(), 1u);
	store::AlertRule routed = rules[0];
	routed.route_chat = -100777;
	ASSERT_TRUE(store->update_alert_rule(routed).ok());

	auto ram_of = [&](const Answer& a) {
		for (const auto& r : a.json["rules"])
			if (r["kind"] == "ram" && r["device"] == "")
				return r;
		return nlohmann::json();
	};
	EXPECT_EQ(ram_of(call("GET", "/api/v1/thresholds?server=" + id))["route_chat"], -100777);
	Answer put = call("PUT", "/api/v1/thresholds", "alice",
	                  R"({"server": )" + id + R"(, "kind": "ram", "threshold": 85, "route_chat": 42})");
	ASSERT_EQ(put.status, 200) << put.raw.body;
	EXPECT_EQ(put.json["route_chat"], -100777);
	EXPECT_EQ(store->list_alert_rules(kUserA).value()[0].route_chat, -100777);
	EXPECT_EQ(store->list_alert_rules(kUserA).value()[0].threshold, 85);
	// The other server's rule has no route of its own.
	EXPECT_TRUE(
	    ram_of(call("GET", "/api/v1/thresholds?server=" + std::to_string(a_db)))["route_chat"].is_null());
}

TEST_F(ApiData, NotifySettingsReadAndWrite) {
	Answer got = call("GET", "/api/v1/notify");
	ASSERT_EQ(got.status, 200) << got.raw.body;
	EXPECT_EQ(got.json["chat_id"], kUserA);
	EXPECT_EQ(got.json["notify"], true);
	Answer put = call("PUT", "/api/v1/notify", "alice",
	                  R"({"notify": false, "muted_kinds": ["disk", "cpu", "disk"], "quiet_from_min": 1320,
	                  "quiet_to_min": 420, "time_zone": "Asia/Shanghai", "digest_hour": 9})");
	ASSERT_EQ(put.status, 200) << put.raw.body;
	auto s = store->chat_settings(kUserA).value();
	EXPECT_FALSE(s.notify);
	EXPECT_EQ(s.muted_kinds, (std::vector<std::string>{"cpu", "disk"}));
	EXPECT_EQ(s.quiet_from_min, 1320);
	EXPECT_EQ(s.quiet_to_min, 420);
	EXPECT_EQ(s.time_zone, "Asia/Shanghai");
	EXPECT_EQ(s.digest_hour, 9);
	EXPECT_EQ(s.reminder_s, 4 * 3600); // untouched fields keep their value

	EXPECT_EQ(call("PUT", "/api/v1/notify", "alice", R"({"time_zone": "Mars/Olympus"})").status, 400);
	EXPECT_EQ(call("PUT", "/api/v1/notify", "alice", R"({"quiet_from_min": null})").status, 400);
	EXPECT_EQ(call("PUT", "/api/v1/notify", "alice", R"({"muted_kinds": ["bogus"]})").status, 400);
	EXPECT_EQ(call("GET", "/api/v1/notify?chat=" + std::to_string(kUserB)).status, 404);
	EXPECT_EQ(call("GET", "/api/v1/notify", "bob").json["notify"], true); // Bob's own, untouched
}

} // namespace
