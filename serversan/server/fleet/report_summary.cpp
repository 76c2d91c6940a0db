#include "serversan/server/fleet/report_summary.h"

#include <algorithm>

#include "serversan/core/units.h"

namespace serversan::fleet {

std::optional<double> cpu_busy(const CpuTimes& t) {
	if (t.idle)
		return std::clamp(100 - *t.idle, 0.0, 100.0);
	if (!t.user && !t.system)
		return std::nullopt;
	double busy = 0;
	for (const auto& v : {t.user, t.nice, t.system, t.iowait, t.irq, t.softirq, t.steal})
		busy += v.value_or(0);
	return std::clamp(busy, 0.0, 100.0);
}

bool counts_as_host_traffic(std::string_view name) {
	if (name == "lo")
		return false;
	for (std::string_view p : {"veth", "docker", "br-", "virbr", "cni", "flannel", "cali"})
		if (name.starts_with(p))
			return false;
	return true;
}

ReportSummary summarize(const Report& r) {
	ReportSummary s;
	s.cpu_percent = cpu_busy(r.cpu.total);
	if (r.memory.total && r.memory.used && *r.memory.total > 0)
		s.ram_percent = percent_of(*r.memory.used, *r.memory.total);
	for (const Filesystem& f : r.filesystems)
		if (f.total && f.used && *f.total > 0)
			s.disk_percent = std::max(s.disk_percent.value_or(0), percent_of(*f.used, *f.total));
	s.load1 = r.load.load1;
	for (const NetInterface& n : r.interfaces) {
		if (!counts_as_host_traffic(n.name))
			continue;
		if (n.rx_bytes_per_s)
			s.rx_per_s = s.rx_per_s.value_or(0) + *n.rx_bytes_per_s;
		if (n.tx_bytes_per_s)
			s.tx_per_s = s.tx_per_s.value_or(0) + *n.tx_bytes_per_s;
	}
	return s;
}

bool is_hot(const ReportSummary& s) {
	for (const auto& v : {s.cpu_percent, s.ram_percent, s.disk_percent})
		if (v && *v >= kHotPercent)
			return true;
	return false;
}

} // namespace serversan::fleet
