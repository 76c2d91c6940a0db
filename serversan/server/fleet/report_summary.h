// The few numbers a one-line status is made of, derived the same way for the fleet view and the
// detail view so the two never disagree: CPU busy share, RAM share, the fullest filesystem and the
// host's traffic. Traffic sums the interfaces that carry the host's own traffic: loopback and the
// virtual ends of containers and bridges (veth*, docker*, br-*, virbr*, cni*, flannel*, cali*) are
// left out, since each of their bytes also crosses a real interface and would count twice.
#pragma once

#include <optional>
#include <string_view>

#include "serversan/core/report.h"

namespace serversan::fleet {

struct ReportSummary {
	std::optional<double> cpu_percent;  // 100 - idle
	std::optional<double> ram_percent;  // used / total
	std::optional<double> disk_percent; // the fullest filesystem
	std::optional<double> load1;
	std::optional<double> rx_per_s, tx_per_s; // bytes/s over the counted interfaces
};

ReportSummary summarize(const Report& r);
std::optional<double> cpu_busy(const CpuTimes& t);
bool counts_as_host_traffic(std::string_view interface_name);
// At or above this, a share makes a server "hot": listed first, marked in the fleet view.
inline constexpr double kHotPercent = 90;
bool is_hot(const ReportSummary& s);

} // namespace serversan::fleet
