#include "serversan/server/store/metrics.h"

#include <algorithm>

namespace serversan::store {

const std::array<std::string_view, kMainColumnCount> kMainColumns = {
    "cpu_busy",  "cpu_user",   "cpu_system", "cpu_iowait",      "cpu_steal",     "load1",
    "load5",     "load15",     "mem_total",  "mem_used",        "mem_available", "swap_total",
    "swap_used", "disk_total", "disk_used",  "disk_read",       "disk_write",    "disk_busy",
    "net_rx",    "net_tx",     "procs",      "tcp_established", "sessions",      "temp_max",
};

namespace {

template <typename T>
std::optional<double> as_double(const std::optional<T>& v) {
	return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

void add_to(std::optional<double>& acc, std::optional<double> v) {
	if (v)
		acc = acc.value_or(0) + *v;
}

void max_to(std::optional<double>& acc, std::optional<double> v) {
	if (v)
		acc = acc ? std::max(*acc, *v) : *v;
}

// Busy share of the interval: everything but idle and iowait (iowait is idle time waiting for
// I/O, shown on its own).
std::optional<double> busy_percent(const CpuTimes& t) {
	if (!t.idle)
		return std::nullopt;
	double idle = *t.idle + t.iowait.value_or(0);
	return std::clamp(100.0 - idle, 0.0, 100.0);
}

std::optional<double> sum2(const std::optional<uint64_t>& a, const std::optional<uint64_t>& b) {
	if (!a && !b)
		return std::nullopt;
	return static_cast<double>(a.value_or(0)) + static_cast<double>(b.value_or(0));
}

using K = DeviceKind;
constexpr MetricInfo kCatalog[] = {
    {"cpu.busy", "%", "CPU busy (all but idle and iowait)", 0},
    {"cpu.user", "%", "CPU in user mode", 1},
    {"cpu.system", "%", "CPU in the kernel", 2},
    {"cpu.iowait", "%", "CPU idle waiting for I/O", 3},
    {"cpu.steal", "%", "CPU taken by the hypervisor", 4},
    {"load.1", "", "Load average, 1 minute", 5},
    {"load.5", "", "Load average, 5 minutes", 6},
    {"load.15", "", "Load average, 15 minutes", 7},
    {"mem.total", "bytes", "Memory size", 8},
    {"mem.used", "bytes", "Memory in use", 9},
    {"mem.available", "bytes", "Memory available", 10},
    {"mem.percent", "%", "Memory in use, percent", 9, 8},
    {"swap.total", "bytes", "Swap size", 11},
    {"swap.used", "bytes", "Swap in use", 12},
    {"swap.percent", "%", "Swap in use, percent", 12, 11},
    {"fs.total", "bytes", "Filesystem size (all filesystems without a device)", 13, -1, K::filesystem, 1},
    {"fs.used", "bytes", "Filesystem space used", 14, -1, K::filesystem, 0},
    {"fs.percent", "%", "Filesystem space used, percent", 14, 13, K::filesystem, 0, 1},
    {"fs.inodes_used", "", "Inodes used", -1, -1, K::filesystem, 2},
    {"fs.inodes_total", "", "Inodes", -1, -1, K::filesystem, 3},
    {"fs.inodes_percent", "%", "Inodes used, percent", -1, -1, K::filesystem, 2, 3},
    {"disk.read", "bytes/s", "Disk reads (all disks without a device)", 15, -1, K::disk, 0},
    {"disk.write", "bytes/s", "Disk writes", 16, -1, K::disk, 1},
    {"disk.reads", "1/s", "Read requests", -1, -1, K::disk, 2},
    {"disk.writes", "1/s", "Write requests", -1, -1, K::disk, 3},
    {"disk.busy", "%", "Disk busy (the busiest disk without a device)", 17, -1, K::disk, 4},
    {"net.rx", "bytes/s", "Received (all interfaces but lo without a device)", 18, -1, K::interface, 0},
    {"net.tx", "bytes/s", "Sent", 19, -1, K::interface, 1},
    {"net.rx_packets", "1/s", "Packets received", -1, -1, K::interface, 2},
    {"net.tx_packets", "1/s", "Packets sent", -1, -1, K::interface, 3},
    {"net.errors", "", "Errors in the interval, both directions", -1, -1, K::interface, 4},
    {"net.drops", "", "Drops in the interval, both directions", -1, -1, K::interface, 5},
    {"procs.total", "", "Processes", 20},
    {"tcp.established", "", "Established TCP connections", 21},
    {"sessions", "", "Logged-in sessions", 22},
    {"temp", "°C", "Temperature (the hottest sensor without a device)", 23, -1, K::temperature, 0},
};

} // namespace

MainValues main_values(const Report& r) {
	MainValues v;
	const CpuTimes& t = r.cpu.total;
	v[0] = busy_percent(t);
	v[1] = t.user;
	v[2] = t.system;
	v[3] = t.iowait;
	v[4] = t.steal;
	v[5] = r.load.load1;
	v[6] = r.load.load5;
	v[7] = r.load.load15;
	v[8] = as_double(r.memory.total);
	v[9] = as_double(r.memory.used);
	v[10] = as_double(r.memory.available);
	v[11] = as_double(r.memory.swap_total);
	v[12] = as_double(r.memory.swap_used);
	for (const Filesystem& f : r.filesystems) {
		add_to(v[13], as_double(f.total));
		add_to(v[14], as_double(f.used));
	}
	for (const DiskIo& d : r.disks) {
		add_to(v[15], d.read_bytes_per_s);
		add_to(v[16], d.write_bytes_per_s);
		max_to(v[17], d.busy_percent);
	}
	// Loopback traffic is the host talking to itself: it would hide the real network in a sum.
	for (const NetInterface& n : r.interfaces) {
		if (n.name == "lo")
			continue;
		add_to(v[18], n.rx_bytes_per_s);
		add_to(v[19], n.tx_bytes_per_s);
	}
	v[20] = as_double(r.processes.total);
	v[21] = as_double(r.sockets.tcp_established);
	v[22] = as_double(r.sessions);
	for (const Temperature& t2 : r.temperatures)
		max_to(v[23], t2.celsius);
	return v;
}

std::string_view device_kind_name(DeviceKind kind) {
	switch (kind) {
	case DeviceKind::filesystem:
		return "fs";
	case DeviceKind::disk:
		return "disk";
	case DeviceKind::interface:
		return "net";
	case DeviceKind::temperature:
		return "temp";
	}
	return "?";
}

std::optional<DeviceKind> device_kind_from_name(std::string_view name) {
	for (DeviceKind k :
	     {DeviceKind::filesystem, DeviceKind::disk, DeviceKind::interface, DeviceKind::temperature})
		if (device_kind_name(k) == name)
			return k;
	return std::nullopt;
}

bool device_slot_is_integer(DeviceKind kind, size_t slot) {
	switch (kind) {
	case DeviceKind::filesystem:
		return slot < 4;
	case DeviceKind::interface:
		return slot == 4 || slot == 5;
	default:
		return false;
	}
}

std::vector<DeviceSample> device_samples(const Report& r) {
	std::vector<DeviceSample> out;
	out.reserve(r.filesystems.size() + r.disks.size() + r.interfaces.size() + r.temperatures.size());
	for (const Filesystem& f : r.filesystems)
		out.push_back({DeviceKind::filesystem,
		               f.mount,
		               {as_double(f.used), as_double(f.total), as_double(f.inodes_used),
		                as_double(f.inodes_total), std::nullopt, std::nullopt}});
	for (const DiskIo& d : r.disks)
		out.push_back({DeviceKind::disk,
		               d.device,
		               {d.read_bytes_per_s, d.write_bytes_per_s, d.reads_per_s, d.writes_per_s,
		                d.busy_percent, std::nullopt}});
	for (const NetInterface& n : r.interfaces)
		out.push_back({DeviceKind::interface,
		               n.name,
		               {n.rx_bytes_per_s, n.tx_bytes_per_s, n.rx_packets_per_s, n.tx_packets_per_s,
		                sum2(n.rx_errors, n.tx_errors), sum2(n.rx_drops, n.tx_drops)}});
	for (const Temperature& t : r.temperatures)
		out.push_back({DeviceKind::temperature,
		               t.sensor,
		               {t.celsius, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}});
	return out;
}

double main_column_step(size_t column) {
	// Bytes (memory, swap, filesystems) and byte rates to the unit; shares, load, counts' means
	// and degrees to 0.01.
	switch (column) {
	case 8:
	case 9:
	case 10:
	case 11:
	case 12:
	case 13:
	case 14:
	case 15:
	case 16:
	case 18:
	case 19:
		return 1.0;
	default:
		return 0.01;
	}
}

double device_slot_step(DeviceKind kind, size_t slot) {
	switch (kind) {
	case DeviceKind::filesystem:
		return 1.0; // bytes and inode counts
	case DeviceKind::disk:
		return slot <= 1 ? 1.0 : 0.01; // bytes/s; requests/s and busy %
	case DeviceKind::interface:
		return slot <= 1 ? 1.0 : 0.01; // bytes/s; packets/s, errors and drops (means)
	case DeviceKind::temperature:
		return 0.01;
	}
	return 0.01;
}

std::span<const MetricInfo> metric_catalog() {
	return kCatalog;
}

const MetricInfo* find_metric(std::string_view name) {
	for (const MetricInfo& m : kCatalog)
		if (m.name == name)
			return &m;
	return nullptr;
}

std::optional<double> metric_value(const MetricInfo& m, const Report& r, std::string_view device) {
	if (device.empty()) {
		if (m.column < 0)
			return std::nullopt;
		MainValues v = main_values(r);
		if (m.column_of >= 0)
			return percent_of(v[static_cast<size_t>(m.column)], v[static_cast<size_t>(m.column_of)]);
		return v[static_cast<size_t>(m.column)];
	}
	if (!m.kind || m.slot < 0)
		return std::nullopt;
	for (const DeviceSample& d : device_samples(r)) {
		if (d.kind != *m.kind || d.name != device)
			continue;
		if (m.slot_of >= 0)
			return percent_of(d.values[static_cast<size_t>(m.slot)],
			                  d.values[static_cast<size_t>(m.slot_of)]);
		return d.values[static_cast<size_t>(m.slot)];
	}
	return std::nullopt;
}

} // namespace serversan::store
