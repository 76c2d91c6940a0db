#include "serversan/server/web/prometheus_text.h"

#include <map>
#include <optional>

#include <fmt/format.h>

#include "serversan/server/fleet/report_summary.h"
#include "serversan/server/fleet/server_state.h"

namespace serversan::web {

namespace {

struct Family {
	std::string_view name, type, help;
};

// In the order they are written; each family's samples stay together, as the format requires.
constexpr Family kFamilies[] = {
    {"serversan_up", "gauge", "1 if the server reports (online), 0 if not."},
    {"serversan_last_seen_timestamp_seconds", "gauge", "When the server's last report arrived."},
    {"serversan_alerts_firing", "gauge", "Alerts firing now."},
    {"node_boot_time_seconds", "gauge", "Node boot time, in unixtime."},
    {"serversan_uptime_seconds", "gauge", "Seconds since boot, as the agent read it."},
    {"serversan_cpu_busy_ratio", "gauge", "Share of CPU time not idle over the report interval, 0-1."},
    {"node_load1", "gauge", "1m load average."},
    {"node_load5", "gauge", "5m load average."},
    {"node_load15", "gauge", "15m load average."},
    {"node_memory_MemTotal_bytes", "gauge", "Memory information field MemTotal_bytes."},
    {"node_memory_MemAvailable_bytes", "gauge", "Memory information field MemAvailable_bytes."},
    {"node_memory_MemFree_bytes", "gauge", "Memory information field MemFree_bytes."},
    {"node_memory_Buffers_bytes", "gauge", "Memory information field Buffers_bytes."},
    {"node_memory_Cached_bytes", "gauge", "Memory information field Cached_bytes."},
    {"node_memory_SwapTotal_bytes", "gauge", "Memory information field SwapTotal_bytes."},
    {"node_memory_SwapFree_bytes", "gauge", "Memory information field SwapFree_bytes."},
    {"node_procs_running", "gauge", "Number of processes in runnable state."},
    {"node_procs_blocked", "gauge", "Number of processes blocked waiting for I/O to complete."},
    {"node_filesystem_size_bytes", "gauge", "Filesystem size in bytes."},
    {"node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes."},
    {"serversan_filesystem_used_bytes", "gauge", "Filesystem space used in bytes."},
    {"node_filesystem_files", "gauge", "Filesystem total file nodes."},
    {"node_filesystem_files_free", "gauge", "Filesystem total free file nodes."},
    {"serversan_network_receive_bytes_per_second", "gauge",
     "Bytes received per second over the report interval."},
    {"serversan_network_transmit_bytes_per_second", "gauge",
     "Bytes sent per second over the report interval."},
    {"node_network_receive_bytes_total", "counter", "Network device statistic receive_bytes."},
    {"node_network_transmit_bytes_total", "counter", "Network device statistic transmit_bytes."},
    {"serversan_disk_read_bytes_per_second", "gauge", "Bytes read per second over the report interval."},
    {"serversan_disk_written_bytes_per_second", "gauge",
     "Bytes written per second over the report interval."},
    {"serversan_disk_busy_ratio", "gauge", "Share of the interval the disk was busy, 0-1."},
    {"serversan_temperature_celsius", "gauge", "Sensor temperature in degrees Celsius."},
};

class Writer {
public:
	using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

	void add(std::string_view family, const Labels& labels, std::optional<double> value) {
		if (!value)
			return;
		std::string& out = samples_[family];
		out += family;
		out += '{';
		for (size_t i = 0; i < labels.size(); ++i) {
			if (i)
				out += ',';
			out += labels[i].first;
			out += "=\"";
			out += escape_label_value(labels[i].second);
			out += '"';
		}
		out += "} ";
		out += fmt::format("{}", *value);
		out += '\n';
	}

	std::string text() const {
		std::string out;
		for (const Family& f : kFamilies) {
			auto it = samples_.find(f.name);
			if (it == samples_.end())
				continue;
			out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
			out += it->second;
		}
		return out;
	}

private:
	std::map<std::string_view, std::string, std::less<>> samples_;
};

template <typename T>
std::optional<double> num(const std::optional<T>& v) {
	return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}
std::optional<double> ratio(std::optional<double> percent) {
	return percent ? std::optional<double>(*percent / 100) : std::nullopt;
}
std::optional<double> left(std::optional<uint64_t> total, std::optional<uint64_t> used) {
	return total && used && *total >= *used ? std::optional<double>(static_cast<double>(*total - *used))
	                                        : std::nullopt;
}

void add_server(Writer& w, const ServerView& v, int64_t now_ms) {
	const std::string& name = v.server.name;
	const Writer::Labels s{{"server", name}};
	const Report* r = v.latest ? &v.latest->report : nullptr;
	bool online = fleet::server_state(v.server.last_seen_ms, r ? r->interval_s : std::nullopt, now_ms) ==
	              fleet::ServerState::online;
	w.add("serversan_up", s, online ? 1 : 0);
	if (v.server.last_seen_ms)
		w.add("serversan_last_seen_timestamp_seconds", s, *v.server.last_seen_ms / 1000.0);
	if (!online || !r)
		return;
	w.add("serversan_alerts_firing", s, static_cast<double>(v.firing));
	if (v.server.host)
		w.add("node_boot_time_seconds", s, num(v.server.host->boot_time));
	w.add("serversan_uptime_seconds", s, num(r->uptime_s));
	w.add("serversan_cpu_busy_ratio", s, ratio(fleet::cpu_busy(r->cpu.total)));
	w.add("node_load1", s, r->load.load1);
	w.add("node_load5", s, r->load.load5);
	w.add("node_load15", s, r->load.load15);
	const Memory& m = r->memory;
	w.add("node_memory_MemTotal_bytes", s, num(m.total));
	w.add("node_memory_MemAvailable_bytes", s, num(m.available));
	w.add("node_memory_MemFree_bytes", s, num(m.free));
	w.add("node_memory_Buffers_bytes", s, num(m.buffers));
	w.add("node_memory_Cached_bytes", s, num(m.cached));
	w.add("node_memory_SwapTotal_bytes", s, num(m.swap_total));
	w.add("node_memory_SwapFree_bytes", s, left(m.swap_total, m.swap_used));
	w.add("node_procs_running", s, num(r->processes.running));
	w.add("node_procs_blocked", s, num(r->processes.blocked));
	for (const Filesystem& f : r->filesystems) {
		const Writer::Labels l{
		    {"server", name}, {"mount", f.mount}, {"device", f.device}, {"fstype", f.type}};
		w.add("node_filesystem_size_bytes", l, num(f.total));
		w.add("node_filesystem_avail_bytes", l, num(f.free));
		w.add("serversan_filesystem_used_bytes", l, num(f.used));
		w.add("node_filesystem_files", l, num(f.inodes_total));
		w.add("node_filesystem_files_free", l, left(f.inodes_total, f.inodes_used));
	}
	for (const NetInterface& n : r->interfaces) {
		const Writer::Labels l{{"server", name}, {"iface", n.name}};
		w.add("serversan_network_receive_bytes_per_second", l, n.rx_bytes_per_s);
		w.add("serversan_network_transmit_bytes_per_second", l, n.tx_bytes_per_s);
		w.add("node_network_receive_bytes_total", l, num(n.rx_bytes_total));
		w.add("node_network_transmit_bytes_total", l, num(n.tx_bytes_total));
	}
	for (const DiskIo& d : r->disks) {
		const Writer::Labels l{{"server", name}, {"device", d.device}};
		w.add("serversan_disk_read_bytes_per_second", l, d.read_bytes_per_s);
		w.add("serversan_disk_written_bytes_per_second", l, d.write_bytes_per_s);
		w.add("serversan_disk_busy_ratio", l, ratio(d.busy_percent));
	}
	for (const Temperature& t : r->temperatures)
		w.add("serversan_temperature_celsius", {{"server", name}, {"sensor", t.sensor}}, t.celsius);
}

} // namespace

std::string escape_label_value(std::string_view value) {
	std::string out;
	out.reserve(value.size());
	for (char c : value) {
		if (c == '\\')
			out += "\\\\";
		else if (c == '"')
			out += "\\\"";
		else if (c == '\n')
			out += "\\n";
		else
			out += c;
	}
	return out;
}

std::string prometheus_text(const std::vector<ServerView>& servers, int64_t now_ms) {
	Writer w;
	for (const ServerView& v : servers)
		add_server(w, v, now_ms);
	return w.text();
}

} // namespace serversan::web
