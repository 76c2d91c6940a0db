#include "serversan/server/alerts/alert_message.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "serversan/server/alerts/json_fields.h"

namespace serversan::alerts {

namespace {

using json = nlohmann::json;
using json_fields::get_opt;
using json_fields::get_or;
using json_fields::put_opt;

} // namespace

std::string_view notice_state_name(NoticeState s) {
	switch (s) {
	case NoticeState::firing:
		return "firing";
	case NoticeState::resolved:
		return "resolved";
	case NoticeState::reminder:
		return "reminder";
	case NoticeState::forecast:
		return "forecast";
	}
	return "firing";
}

std::string encode(const AlertMessage& m) {
	json j;
	j["v"] = kAlertMessageVersion;
	j["server_id"] = m.server_id;
	j["server"] = m.server_name;
	j["kind"] = m.kind;
	if (!m.device.empty())
		j["device"] = m.device;
	j["state"] = notice_state_name(m.state);
	j["severity"] = m.severity;
	j["op"] = m.above ? ">" : "<";
	put_opt(j, "value", m.value);
	put_opt(j, "latest", m.latest);
	j["threshold"] = m.threshold;
	j["clear"] = m.clear;
	j["for_s"] = m.for_s;
	j["started_ms"] = m.started_ms;
	j["at_ms"] = m.at_ms;
	j["held_s"] = m.held_s;
	if (m.reminder > 0)
		j["reminder"] = m.reminder;
	if (m.silent)
		j["silent"] = true;
	put_opt(j, "quiet_until_ms", m.quiet_until_ms);
	const Evidence& e = m.evidence;
	json ev = json::object();
	if (!e.top.empty()) {
		json top = json::array();
		for (const TopProcess& p : e.top) {
			json t{{"pid", p.pid}, {"name", p.name}, {"user", p.user}};
			put_opt(t, "cpu", p.cpu_percent);
			put_opt(t, "rss", p.rss);
			top.push_back(std::move(t));
		}
		ev["top"] = std::move(top);
	}
	put_opt(ev, "top_ms", e.top_ms);
	put_opt(ev, "bytes_left", e.bytes_left);
	put_opt(ev, "total", e.total);
	put_opt(ev, "fill_per_s", e.fill_per_s);
	put_opt(ev, "full_ms", e.full_ms);
	if (!ev.empty())
		j["evidence"] = std::move(ev);
	return j.dump();
}

Result<AlertMessage> decode_alert_message(std::string_view text) {
	auto parsed =
	    json_fields::parse_payload(text, "alert message", kAlertMessageVersion,
	                               {"server_id", "kind", "state", "threshold", "started_ms", "at_ms"});
	if (!parsed.ok())
		return parsed.error();
	const json& j = *parsed;
	try {
		AlertMessage m;
		m.server_id = j.at("server_id").get<uint64_t>();
		get_or(j, "server", m.server_name);
		m.kind = j.at("kind").get<std::string>();
		get_or(j, "device", m.device);
		auto state = j.at("state").get<std::string>();
		bool known = false;
		for (NoticeState s :
		     {NoticeState::firing, NoticeState::resolved, NoticeState::reminder, NoticeState::forecast})
			if (notice_state_name(s) == state) {
				m.state = s;
				known = true;
			}
		if (!known)
			return Err(fmt::format("alert message: unknown state \"{}\"", state));
		get_or(j, "severity", m.severity);
		m.above = j.value("op", std::string(">")) != "<";
		get_opt(j, "value", m.value);
		get_opt(j, "latest", m.latest);
		m.threshold = j.at("threshold").get<double>();
		get_or(j, "clear", m.clear);
		get_or(j, "for_s", m.for_s);
		m.started_ms = j.at("started_ms").get<int64_t>();
		m.at_ms = j.at("at_ms").get<int64_t>();
		get_or(j, "held_s", m.held_s);
		get_or(j, "reminder", m.reminder);
		get_or(j, "silent", m.silent);
		get_opt(j, "quiet_until_ms", m.quiet_until_ms);
		if (auto ev = j.find("evidence"); ev != j.end() && ev->is_object()) {
			Evidence& e = m.evidence;
			if (auto top = ev->find("top"); top != ev->end() && top->is_array())
				for (const json& t : *top) {
					TopProcess p;
					p.pid = t.at("pid").get<uint32_t>();
					get_or(t, "name", p.name);
					get_or(t, "user", p.user);
					get_opt(t, "cpu", p.cpu_percent);
					get_opt(t, "rss", p.rss);
					e.top.push_back(std::move(p));
				}
			get_opt(*ev, "top_ms", e.top_ms);
			get_opt(*ev, "bytes_left", e.bytes_left);
			get_opt(*ev, "total", e.total);
			get_opt(*ev, "fill_per_s", e.fill_per_s);
			get_opt(*ev, "full_ms", e.full_ms);
		}
		return m;
	} catch (const json::exception& e) {
		return Err(fmt::format("alert message: {}", e.what()));
	}
}

std::string alert_dedupe_key(uint64_t server_id, std::string_view metric, std::string_view device,
                             int64_t started_ms, std::string_view what) {
	return fmt::format("{}{}:{}:{}:{}", alert_key_prefix(server_id), metric, device, started_ms, what);
}

std::string alert_key_prefix(uint64_t server_id) {
	return fmt::format("alert:{}:", server_id);
}

} // namespace serversan::alerts
