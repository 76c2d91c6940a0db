// /servers: list and detail shapes with the latest values, add / rename / delete / rotate, and
// ownership: another user's server is 404 on every endpoint, the console's belong to user 0.
#include "test/unit/web/api_fixture.h"

using namespace serversan;
using namespace serversan::web;
using namespace serversan::web::testing;

namespace {

using ApiServers = ApiTest;

std::vector<std::string> names(const nlohmann::json& list) {
	std::vector<std::string> out;
	for (const auto& s : list)
		out.push_back(s["name"]);
	return out;
}

TEST_F(ApiServers, ListShowsOnlyTheUsersServersWithLatestValues) {
	report(a_web);
	Answer a = call("GET", "/api/v1/servers");
	ASSERT_EQ(a.status, 200) << a.raw.body;
	EXPECT_EQ(a.json["now_ms"], now());
	ASSERT_EQ(names(a.json["servers"]), (std::vector<std::string>{"a-web", "a-db"}));
	const auto& web = a.json["servers"][0];
	EXPECT_EQ(web["id"], a_web);
	EXPECT_EQ(web["chat_id"], kUserA);
	EXPECT_EQ(web["state"], "online");
	EXPECT_EQ(web["last_seen_ms"], now());
	EXPECT_DOUBLE_EQ(web["cpu"].get<double>(), 16);   // 100 - idle 84
	EXPECT_DOUBLE_EQ(web["ram"].get<double>(), 12.5); // 3 of 24 GiB
	EXPECT_EQ(web["ram_total"], 24ull << 30);
	EXPECT_DOUBLE_EQ(web["disk"].get<double>(), 40);
	EXPECT_EQ(web["disk_mount"], "/");
	EXPECT_DOUBLE_EQ(web["load1"].get<double>(), 0.42);
	EXPECT_EQ(web["uptime_s"], 3600);
	EXPECT_EQ(web["firing"], 0);
	EXPECT_TRUE(web["swap"].is_null()); // not reported: null, never a made-up zero
	const auto& db = a.json["servers"][1];
	EXPECT_EQ(db["state"], "new");
	EXPECT_TRUE(db["cpu"].is_null());

	clock.advance(std::chrono::minutes(4)); // three intervals and three minutes: offline
	EXPECT_EQ(call("GET", "/api/v1/servers").json["servers"][0]["state"], "offline");

	EXPECT_EQ(names(call("GET", "/api/v1/servers", "bob").json["servers"]),
	          (std::vector<std::string>{"b-secret"}));
	// The console operator owns the servers added on the console, and only those.
	EXPECT_EQ(names(call("GET", "/api/v1/servers", "root").json["servers"]),
	          (std::vector<std::string>{"console-box"}));
}

TEST_F(ApiServers, DetailHasFactsDevicesAndProcesses) {
	Report r = serversan::testing::sample_report(0, 0);
	HostFacts h;
	h.hostname = "web-1";
	h.kernel = "6.1.0";
	h.os_name = "Debian GNU/Linux";
	h.cpu_logical = 4;
	h.boot_time = 1'700'000'000;
	r.host = h;
	NetInterface eth;
	eth.name = "eth0";
	eth.rx_bytes_per_s = 1000;
	eth.tx_bytes_per_s = 500;
	r.interfaces.push_back(eth);
	r.top_cpu = std::vector<ProcessEntry>{{42, "postgres", "pg", 35.5, 1 << 20}};
	report(a_web, r);
	Answer a = call("GET", "/api/v1/servers/" + std::to_string(a_web));
	ASSERT_EQ(a.status, 200) << a.raw.body;
	EXPECT_EQ(a.json["hostname"], "web-1");
	EXPECT_EQ(a.json["cores"], 4);
	EXPECT_EQ(a.json["facts"]["kernel"], "6.1.0");
	EXPECT_EQ(a.json["facts"]["boot_ms"], 1'700'000'000'000);
	EXPECT_EQ(a.json["facts"]["interval_s"], 60);
	ASSERT_EQ(a.json["filesystems"].size(), 1u);
	EXPECT_EQ(a.json["filesystems"][0]["mount"], "/");
	EXPECT_DOUBLE_EQ(a.json["filesystems"][0]["percent"].get<double>(), 40);
	EXPECT_EQ(a.json["interfaces"][0]["name"], "eth0");
	EXPECT_EQ(a.json["net_rx"], 1000);
	ASSERT_EQ(a.json["processes"].size(), 1u);
	EXPECT_EQ(a.json["processes"][0]["name"], "postgres");
	EXPECT_EQ(a.json["processes_ms"], now());
	EXPECT_TRUE(a.json["disks"].is_array());
	EXPECT_TRUE(a.json["temperatures"].is_array());
}

TEST_F(ApiServers, AddReturnsTheInstallLineAndTheNewServer) {
	Answer a = call("POST", "/api/v1/servers", "alice", R"({"name": "  new-box  "})");
	ASSERT_EQ(a.status, 201) << a.raw.body;
	EXPECT_EQ(a.json["server"]["name"], "new-box");
	EXPECT_EQ(a.json["server"]["state"], "new");
	EXPECT_EQ(a.json["server"]["chat_id"], kUserA);
	std::string install = a.json["install"];
	EXPECT_NE(install.find("https://mon.example.com"), std::string::npos) << install;
	EXPECT_EQ(call("GET", "/api/v1/servers").json["servers"].size(), 3u);

	EXPECT_EQ(call("POST", "/api/v1/servers", "alice", R"({"name": ""})").status, 400);
	EXPECT_EQ(call("POST", "/api/v1/servers", "alice", R"({"name": "a\u202eb"})").status, 400); // bidi
	EXPECT_EQ(call("POST", "/api/v1/servers", "alice", R"({"name": ")" + std::string(65, 'x') + "\"}").status,
	          400);
	EXPECT_EQ(call("POST", "/api/v1/servers", "alice", R"({"name": "g", "chat_id": -100})").status, 403);
	Answer root = call("POST", "/api/v1/servers", "root", R"({"name": "console-2"})");
	ASSERT_EQ(root.status, 201);
	EXPECT_TRUE(root.json["server"]["chat_id"].is_null()); // the console's, as the CLI adds them
}

TEST_F(ApiServers, RenameDeleteAndRotate) {
	std::string path = "/api/v1/servers/" + std::to_string(a_web);
	Answer renamed = call("PATCH", path, "alice", R"({"name": "front"})");
	ASSERT_EQ(renamed.status, 200);
	EXPECT_EQ(renamed.json["name"], "front");
	EXPECT_EQ(call("PATCH", path, "alice", R"({"name": "   "})").status, 400);

	uint64_t version = store->find_server(a_web).value()->key_version;
	Answer rotated = call("POST", path + "/token");
	ASSERT_EQ(rotated.status, 200);
	EXPECT_NE(rotated.json["install"].get<std::string>().find("mon.example.com"), std::string::npos);
	EXPECT_GT(store->find_server(a_web).value()->key_version, version);

	EXPECT_EQ(call("DELETE", path).status, 200);
	EXPECT_FALSE(store->find_server(a_web).value().has_value());
	EXPECT_EQ(call("GET", path).status, 404);
}

// Bob reaches none of Alice's servers by any endpoint, and each answer is the same 404 a missing
// server gives, so ids cannot be probed.
TEST_F(ApiServers, AnotherUsersServerIsNotFoundOnEveryEndpoint) {
	report(a_web);
	std::string id = std::to_string(a_web);
	const std::vector<std::tuple<std::string, std::string, std::string>> requests = {
	    {"GET", "/api/v1/servers/" + id, ""},
	    {"PATCH", "/api/v1/servers/" + id, R"({"name": "mine-now"})"},
	    {"DELETE", "/api/v1/servers/" + id, ""},
	    {"POST", "/api/v1/servers/" + id + "/token", ""},
	    {"GET", "/api/v1/servers/" + id + "/series?metric=cpu.busy", ""},
	    {"GET", "/api/v1/series?metric=cpu.busy&servers=" + std::to_string(b_secret) + "," + id, ""},
	    {"GET", "/api/v1/alerts?server=" + id, ""},
	    {"GET", "/api/v1/events?server=" + id, ""},
	    {"GET", "/api/v1/thresholds?server=" + id, ""},
	    {"PUT", "/api/v1/thresholds", R"({"server": )" + id + R"(, "kind": "cpu", "threshold": 50})"},
	    {"DELETE", "/api/v1/thresholds?server=" + id + "&kind=cpu", ""},
	};
	for (const auto& [method, target, body] : requests) {
		Answer a = call(method, target, "bob", body);
		EXPECT_EQ(a.status, 404) << method << " " << target << ": " << a.raw.body;
		EXPECT_EQ(a.raw.body.find("a-web"), std::string::npos) << target;
	}
	EXPECT_EQ(call("GET", "/api/v1/servers/999999", "bob").json,
	          call("GET", "/api/v1/servers/" + id, "bob").json);
	// The console operator is a user like the others: not Alice's servers either.
	EXPECT_EQ(call("GET", "/api/v1/servers/" + id, "root").status, 404);
	EXPECT_EQ(call("GET", "/api/v1/servers/" + std::to_string(console), "alice").status, 404);
	auto s = store->find_server(a_web).value();
	ASSERT_TRUE(s);
	EXPECT_EQ(s->name, "a-web");
	EXPECT_TRUE(store->list_alert_rules(kUserB).value().empty());
	EXPECT_EQ(call("GET", "/api/v1/prometheus", "bob").raw.body.find("a-web"), std::string::npos);
}

} // namespace
