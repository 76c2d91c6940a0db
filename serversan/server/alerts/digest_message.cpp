#include "serversan/server/alerts/digest_message.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "serversan/server/alerts/json_fields.h"

namespace serversan::alerts {

namespace {

using json = nlohmann::json;
using json_fields::get_opt;
using json_fields::get_or;
using json_fields::put_opt;

json server_json(const DigestServer& s) {
	json j{{"id", s.id}, {"name", s.name}, {"online", s.online}};
	put_opt(j, "last_seen_ms", s.last_seen_ms);
	put_opt(j, "cpu", s.cpu);
	put_opt(j, "ram", s.ram);
	if (s.disk) {
		j["disk_mount"] = s.disk_mount;
		j["disk"] = *s.disk;
	}
	return j;
}

DigestServer server_of(const json& j) {
	DigestServer s;
	s.id = j.at("id").get<uint64_t>();
	get_or(j, "name", s.name);
	get_or(j, "online", s.online);
	get_opt(j, "last_seen_ms", s.last_seen_ms);
	get_opt(j, "cpu", s.cpu);
	get_opt(j, "ram", s.ram);
	get_or(j, "disk_mount", s.disk_mount);
	get_opt(j, "disk", s.disk);
	return s;
}

json alert_json(const DigestAlert& a) {
	json j{{"server_id", a.server_id}, {"server", a.server_name},  {"kind", a.kind},
	       {"severity", a.severity},   {"threshold", a.threshold}, {"started_ms", a.started_ms}};
	if (!a.device.empty())
		j["device"] = a.device;
	if (!a.above)
		j["op"] = "<";
	put_opt(j, "value", a.value);
	put_opt(j, "resolved_ms", a.resolved_ms);
	return j;
}

DigestAlert alert_of(const json& j) {
	DigestAlert a;
	a.server_id = j.at("server_id").get<uint64_t>();
	get_or(j, "server", a.server_name);
	a.kind = j.at("kind").get<std::string>();
	get_or(j, "device", a.device);
	get_or(j, "severity", a.severity);
	a.above = j.value("op", std::string(">")) != "<";
	get_opt(j, "value", a.value);
	get_or(j, "threshold", a.threshold);
	a.started_ms = j.at("started_ms").get<int64_t>();
	get_opt(j, "resolved_ms", a.resolved_ms);
	return a;
}

json trend_json(const DigestTrend& t) {
	json j{
	    {"server_id", t.server_id}, {"server", t.server_name}, {"kind", t.kind}, {"threshold", t.threshold}};
	if (!t.device.empty())
		j["device"] = t.device;
	put_opt(j, "average", t.average);
	put_opt(j, "full_ms", t.full_ms);
	put_opt(j, "fill_per_s", t.fill_per_s);
	return j;
}

DigestTrend trend_of(const json& j) {
	DigestTrend t;
	t.server_id = j.at("server_id").get<uint64_t>();
	get_or(j, "server", t.server_name);
	t.kind = j.at("kind").get<std::string>();
	get_or(j, "device", t.device);
	get_or(j, "threshold", t.threshold);
	get_opt(j, "average", t.average);
	get_opt(j, "full_ms", t.full_ms);
	get_opt(j, "fill_per_s", t.fill_per_s);
	return t;
}

} // namespace

std::string encode(const Digest& d) {
	json j{{"v", kDigestVersion}, {"day", d.day}, {"from_ms", d.from_ms}, {"at_ms", d.at_ms}};
	if (d.silent)
		j["silent"] = true;
	json servers = json::array(), alerts = json::array(), trends = json::array();
	for (const DigestServer& s : d.servers)
		servers.push_back(server_json(s));
	for (const DigestAlert& a : d.alerts)
		alerts.push_back(alert_json(a));
	for (const DigestTrend& t : d.trends)
		trends.push_back(trend_json(t));
	j["servers"] = std::move(servers);
	j["alerts"] = std::move(alerts);
	j["trends"] = std::move(trends);
	return j.dump();
}

Result<Digest> decode_digest(std::string_view text) {
	auto parsed = json_fields::parse_payload(text, "digest", kDigestVersion, {"day", "at_ms", "servers"});
	if (!parsed.ok())
		return parsed.error();
	const json& j = *parsed;
	try {
		Digest d;
		d.day = j.at("day").get<std::string>();
		get_or(j, "from_ms", d.from_ms);
		d.at_ms = j.at("at_ms").get<int64_t>();
		get_or(j, "silent", d.silent);
		for (const json& s : j.at("servers"))
			d.servers.push_back(server_of(s));
		if (auto a = j.find("alerts"); a != j.end() && a->is_array())
			for (const json& x : *a)
				d.alerts.push_back(alert_of(x));
		if (auto t = j.find("trends"); t != j.end() && t->is_array())
			for (const json& x : *t)
				d.trends.push_back(trend_of(x));
		return d;
	} catch (const json::exception& e) {
		return Err(fmt::format("digest: {}", e.what()));
	}
}

} // namespace serversan::alerts
