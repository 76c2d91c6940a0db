// CPU collector: two <proc>/stat samples -> shares of CPU time (percent) over the time between
// them, total and per logical core, plus context switches and interrupts per second.
//
// The counters are cumulative ticks, so one sample alone says nothing about "now": the caller
// keeps the previous sample (the first report uses a short priming sample). A counter that
// went backwards (iowait does on some kernels; a core that went offline and came back) counts
// as no time rather than a huge wrapped value; a core that is not in both samples, or an
// interval with no ticks at all, gives empty shares.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

// One "cpu" or "cpuN" line, in USER_HZ ticks. Guest time is already inside user and nice.
struct CpuTicks {
	std::optional<uint64_t> user, nice, system, idle, iowait, irq, softirq, steal;
	bool operator==(const CpuTicks&) const = default;
};

struct StatSample {
	std::optional<CpuTicks> total;
	std::vector<std::pair<uint32_t, CpuTicks>> cores; // (N of "cpuN", ticks), kernel order
	std::optional<uint64_t> context_switches;         // ctxt
	std::optional<uint64_t> interrupts;               // first number of "intr"
	std::optional<int64_t> boot_time;                 // btime, unix seconds
	std::optional<uint64_t> procs_running, procs_blocked;
};

StatSample parse_stat(std::string_view text);
// The same into `out`, reusing its capacity (the per-round form).
void parse_stat_into(std::string_view text, StatSample& out);
Result<StatSample> read_stat(const std::string& proc_root);

// Shares and rates between two samples taken `seconds` apart (a monotonic clock's difference).
Cpu cpu_between(const StatSample& before, const StatSample& after, double seconds);
CpuTimes cpu_times_between(const CpuTicks& before, const CpuTicks& after);

} // namespace serversan::agent
