#include "serversan/server/store/stored_report.h"

#include <algorithm>

#include "serversan/core/report_decode.h"
#include "serversan/core/report_encode.h"

namespace serversan::store {

namespace {
template <typename Section>
std::string encode_section(const Report& r, Section Report::*member) {
	if (!(r.*member))
		return {};
	Report only;
	only.seq = r.seq;
	only.time_ms = r.time_ms;
	only.*member = r.*member;
	std::string out;
	encode_report(only, out);
	return out;
}
} // namespace

std::string encode_stored_report(const Report& r) {
	std::string out;
	encode_report(r, out);
	return out;
}

std::string encode_top_cpu(const Report& r) {
	return encode_section(r, &Report::top_cpu);
}
std::string encode_top_memory(const Report& r) {
	return encode_section(r, &Report::top_memory);
}
std::string encode_tcp_states(const Report& r) {
	return encode_section(r, &Report::tcp_states);
}

Result<Report> decode_stored_report(std::string_view json) {
	// The decoder validates whole batches; a stored report is wrapped into the smallest valid one.
	std::string batch = R"({"protocol":1,"stream":"0000000000000000","agent_version":"store","reports":[)";
	batch.append(json);
	batch.append("]}");
	auto b = decode_batch(batch);
	if (!b.ok())
		return b.error();
	if (b->reports.size() != 1)
		return Err("expected one report");
	return std::move(b->reports.front());
}

namespace {
template <typename List, typename Key>
const typename List::value_type* find_by(const List& list, Key key, const std::string& name) {
	for (const auto& e : list)
		if (e.*key == name)
			return &e;
	return nullptr;
}
} // namespace

void refresh_report(Report& r, int64_t ts_ms, uint64_t seq, const MainValues& v,
                    const std::vector<DeviceSample>& devices) {
	if (r.uptime_s && ts_ms > r.time_ms)
		*r.uptime_s += static_cast<uint64_t>((ts_ms - r.time_ms) / 1000);
	r.time_ms = ts_ms;
	r.seq = seq;
	CpuTimes& c = r.cpu.total;
	c.user = v[1];
	c.system = v[2];
	c.iowait = v[3];
	c.steal = v[4];
	// busy = 100 - idle - iowait (metrics.cpp), so idle follows from the two.
	c.idle = v[0] ? std::optional<double>(std::max(0.0, 100.0 - *v[0] - v[3].value_or(0))) : std::nullopt;
	r.load = {v[5], v[6], v[7]};
	r.memory.total = stored_count(v[8]);
	r.memory.used = stored_count(v[9]);
	r.memory.available = stored_count(v[10]);
	r.memory.swap_total = stored_count(v[11]);
	r.memory.swap_used = stored_count(v[12]);
	r.processes.total = stored_count(v[20]);
	r.sockets.tcp_established = stored_count(v[21]);
	r.sessions = stored_count(v[22]);

	std::vector<Filesystem> fs;
	std::vector<DiskIo> disks;
	std::vector<NetInterface> nets;
	std::vector<Temperature> temps;
	for (const DeviceSample& d : devices) {
		const DeviceValues& s = d.values;
		switch (d.kind) {
		case DeviceKind::filesystem: {
			const Filesystem* old = find_by(r.filesystems, &Filesystem::mount, d.name);
			Filesystem f = old ? *old : Filesystem{};
			f.mount = d.name;
			f.used = stored_count(s[0]);
			f.total = stored_count(s[1]);
			f.inodes_used = stored_count(s[2]);
			f.inodes_total = stored_count(s[3]);
			fs.push_back(std::move(f));
			break;
		}
		case DeviceKind::disk:
			disks.push_back({d.name, s[0], s[1], s[2], s[3], s[4]});
			break;
		case DeviceKind::interface: {
			const NetInterface* old = find_by(r.interfaces, &NetInterface::name, d.name);
			NetInterface n = old ? *old : NetInterface{};
			n.name = d.name;
			n.rx_bytes_per_s = s[0];
			n.tx_bytes_per_s = s[1];
			n.rx_packets_per_s = s[2];
			n.tx_packets_per_s = s[3];
			nets.push_back(std::move(n));
			break;
		}
		case DeviceKind::temperature:
			if (s[0])
				temps.push_back({d.name, *s[0]});
			break;
		}
	}
	r.filesystems = std::move(fs);
	r.disks = std::move(disks);
	r.interfaces = std::move(nets);
	r.temperatures = std::move(temps);
}

} // namespace serversan::store
