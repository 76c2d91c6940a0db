#include "serversan/server/web/server_json.h"

#include <unordered_map>

#include "serversan/core/units.h"
#include "serversan/server/fleet/report_summary.h"
#include "serversan/server/fleet/server_state.h"

namespace serversan::web {

namespace {

std::optional<double> share(std::optional<uint64_t> used, std::optional<uint64_t> total) {
	if (!used || !total || *total == 0)
		return std::nullopt;
	return percent_of(*used, *total);
}

nlohmann::json processes(const std::vector<ProcessEntry>& list) {
	nlohmann::json out = nlohmann::json::array();
	for (const ProcessEntry& p : list)
		out.push_back({{"pid", p.pid},
		               {"name", p.name},
		               {"user", p.user},
		               {"cpu", or_null(p.cpu_percent)},
		               {"rss", or_null(p.rss)}});
	return out;
}

} // namespace

Result<ServerView> load_view(store::Store& store, store::ServerRecord server) {
	ServerView v;
	auto latest = store.latest(server.id);
	if (!latest.ok())
		return latest.error();
	v.latest = std::move(*latest);
	auto alerts = store.alert_states(server.id);
	if (!alerts.ok())
		return alerts.error();
	for (const store::AlertState& a : *alerts)
		v.firing += a.state == "firing";
	auto tags = store.server_tags(server.id);
	if (!tags.ok())
		return tags.error();
	v.tags = std::move(*tags);
	v.server = std::move(server);
	return v;
}

Result<std::vector<ServerView>> load_views(store::Store& store, std::vector<store::ServerRecord> servers) {
	std::vector<uint64_t> ids;
	ids.reserve(servers.size());
	for (const store::ServerRecord& s : servers)
		ids.push_back(s.id);
	auto latest = store.latest_of(ids);
	if (!latest.ok())
		return latest.error();
	auto alerts = store.alert_states_of(ids);
	if (!alerts.ok())
		return alerts.error();
	auto tags = store.server_tags_of(ids);
	if (!tags.ok())
		return tags.error();
	std::unordered_map<uint64_t, size_t> at; // id -> index
	std::vector<ServerView> out(servers.size());
	for (size_t i = 0; i < servers.size(); ++i) {
		at[ids[i]] = i;
		out[i].latest = std::move((*latest)[i]);
		out[i].server = std::move(servers[i]);
	}
	for (const store::AlertState& a : *alerts)
		if (auto it = at.find(a.server_id); it != at.end())
			out[it->second].firing += a.state == "firing";
	for (store::ServerTag& t : *tags)
		if (auto it = at.find(t.server_id); it != at.end())
			out[it->second].tags.push_back(std::move(t.tag));
	return out;
}

nlohmann::json server_summary(const ServerView& v, int64_t now_ms) {
	const store::ServerRecord& s = v.server;
	const Report* r = v.latest ? &v.latest->report : nullptr;
	const HostFacts* host = s.host ? &*s.host : nullptr;
	auto state = fleet::server_state(s.last_seen_ms, r ? r->interval_s : std::nullopt, now_ms);
	nlohmann::json j = {
	    {"id", s.id},
	    {"name", s.name},
	    {"chat_id", or_null(s.owner_chat)},
	    {"state", fleet::state_name(state)},
	    {"last_seen_ms", or_null(s.last_seen_ms)},
	    {"hostname", host ? nlohmann::json(host->hostname) : nlohmann::json(nullptr)},
	    {"os", host ? nlohmann::json(host->os_name) : nlohmann::json(nullptr)},
	    {"arch", host ? nlohmann::json(host->arch) : nlohmann::json(nullptr)},
	    {"cores", host ? or_null(host->cpu_logical) : nlohmann::json(nullptr)},
	    {"firing", v.firing},
	    {"tags", v.tags},
	};
	fleet::ReportSummary sum = r ? fleet::summarize(*r) : fleet::ReportSummary{};
	j["cpu"] = or_null(sum.cpu_percent);
	j["ram"] = or_null(sum.ram_percent);
	j["ram_used"] = r ? or_null(r->memory.used) : nullptr;
	j["ram_total"] = r ? or_null(r->memory.total) : nullptr;
	j["swap"] = r ? or_null(share(r->memory.swap_used, r->memory.swap_total)) : nullptr;
	// The fullest filesystem, as the bot's status line: its share and its bytes.
	const Filesystem* fullest = nullptr;
	if (r)
		for (const Filesystem& f : r->filesystems)
			if (auto p = share(f.used, f.total);
			    p && (!fullest || *p > *share(fullest->used, fullest->total)))
				fullest = &f;
	j["disk"] = or_null(sum.disk_percent);
	j["disk_mount"] = fullest ? nlohmann::json(fullest->mount) : nlohmann::json(nullptr);
	j["disk_used"] = fullest ? or_null(fullest->used) : nullptr;
	j["disk_total"] = fullest ? or_null(fullest->total) : nullptr;
	j["net_rx"] = or_null(sum.rx_per_s);
	j["net_tx"] = or_null(sum.tx_per_s);
	j["load1"] = or_null(sum.load1);
	j["uptime_s"] = r ? or_null(r->uptime_s) : nullptr;
	return j;
}

nlohmann::json server_detail(const ServerView& v, int64_t now_ms) {
	nlohmann::json j = server_summary(v, now_ms);
	const store::ServerRecord& s = v.server;
	const Report* r = v.latest ? &v.latest->report : nullptr;
	nlohmann::json facts = nlohmann::json::object();
	if (s.host) {
		const HostFacts& h = *s.host;
		facts = {{"kernel", h.kernel},
		         {"os_version", h.os_version},
		         {"cpu_model", h.cpu_model},
		         {"virtualization", h.virtualization},
		         {"cpu_physical", or_null(h.cpu_physical)},
		         {"cpu_mhz", or_null(h.cpu_mhz)},
		         {"boot_ms", h.boot_time ? nlohmann::json(*h.boot_time * 1000) : nlohmann::json(nullptr)}};
	}
	facts["agent_version"] = s.agent_version;
	facts["interval_s"] = r ? or_null(r->interval_s) : nullptr;
	j["facts"] = std::move(facts);

	nlohmann::json fs = nlohmann::json::array(), ifs = nlohmann::json::array(),
	               disks = nlohmann::json::array(), temps = nlohmann::json::array();
	if (r) {
		for (const Filesystem& f : r->filesystems)
			fs.push_back({{"mount", f.mount},
			              {"device", f.device},
			              {"fs", f.type},
			              {"used", or_null(f.used)},
			              {"total", or_null(f.total)},
			              {"percent", or_null(share(f.used, f.total))},
			              {"inodes_percent", or_null(share(f.inodes_used, f.inodes_total))}});
		for (const NetInterface& n : r->interfaces)
			ifs.push_back({{"name", n.name},
			               {"rx", or_null(n.rx_bytes_per_s)},
			               {"tx", or_null(n.tx_bytes_per_s)},
			               {"ipv4", n.ipv4},
			               {"ipv6", n.ipv6}});
		for (const DiskIo& d : r->disks)
			disks.push_back({{"name", d.device},
			                 {"read", or_null(d.read_bytes_per_s)},
			                 {"write", or_null(d.write_bytes_per_s)},
			                 {"busy", or_null(d.busy_percent)}});
		for (const Temperature& t : r->temperatures)
			temps.push_back({{"name", t.sensor}, {"celsius", t.celsius}});
	}
	j["filesystems"] = std::move(fs);
	j["interfaces"] = std::move(ifs);
	j["disks"] = std::move(disks);
	j["temperatures"] = std::move(temps);
	j["processes"] = r && r->top_cpu ? processes(*r->top_cpu) : nlohmann::json::array();
	j["processes_ms"] = v.latest ? or_null(v.latest->top_cpu_ms) : nullptr;
	return j;
}

} // namespace serversan::web
