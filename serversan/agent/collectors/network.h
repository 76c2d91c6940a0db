// Network collector: traffic per interface from <proc>/net/dev deltas (lo is skipped): bytes and
// packets per second, errors and drops counted over the interval, and byte totals for traffic
// accounting that survive counter wrap-around and agent restarts.
//
// A counter that went backwards either wrapped or was reset (driver reload, interface re-created,
// reboot). The rule (counter_delta): a previous value in the upper half of the 32-bit range
// means a 32-bit counter wrapped (drivers that keep 32-bit statistics, 32-bit kernels); anything
// else is a reset, and the new value is what was counted since. A 64-bit counter does not wrap.
//
// Totals: each interface's total is the saved total plus what its kernel counter moved since the
// saved raw value. The agent restores them from its counters file (counters_file.h) at start: on
// the same boot (same boot id) the saved raw counters are the baseline; after a reboot the kernel
// counts from zero, so the whole current counter is added. Interfaces never seen before start at
// their kernel counter (their traffic since boot). Entries of interfaces gone for 30 days are
// dropped, and at most kMaxTotals are kept (a container host creates veths all day).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct NetDevCounters {
	std::string name;
	uint64_t rx_bytes = 0, rx_packets = 0, rx_errors = 0, rx_drops = 0;
	uint64_t tx_bytes = 0, tx_packets = 0, tx_errors = 0, tx_drops = 0;
	bool operator==(const NetDevCounters&) const = default;
};

// Every interface line (lo included), into `out` (capacity reused).
void parse_net_dev_into(std::string_view text, std::vector<NetDevCounters>& out);
std::vector<NetDevCounters> parse_net_dev(std::string_view text);

// What a counter moved from `before` to `after`, by the wrap/reset rule above.
uint64_t counter_delta(uint64_t before, uint64_t after);

// One interface's persistent byte totals.
struct InterfaceTotals {
	std::string name;
	uint64_t raw_rx = 0, raw_tx = 0;     // kernel counters when last seen
	uint64_t total_rx = 0, total_tx = 0; // accumulated, wrap-corrected
	int64_t seen_unix = 0;               // last time the interface was seen
	bool raw_valid = true;               // raw_* are from this boot
	bool operator==(const InterfaceTotals&) const = default;
};

inline constexpr size_t kMaxTotals = 512;
inline constexpr int64_t kTotalsForgetS = 30 * 86400;

class NetworkCollector {
public:
	explicit NetworkCollector(const HostPaths& paths);

	// Adopts saved totals (before the first collect()). same_boot: the raw counters in them are
	// from the running kernel.
	void restore(std::vector<InterfaceTotals> saved, bool same_boot);

	// Reads net/dev. Every interface but lo goes to `out` with its totals; rates, errors and
	// drops only when there is a previous sample and seconds > 0. Error if unreadable.
	Result<void> collect(std::optional<double> seconds, int64_t now_unix, std::vector<NetInterface>& out);

	const std::vector<InterfaceTotals>& totals() const { return totals_; }

private:
	InterfaceTotals& totals_for(const NetDevCounters& c, int64_t now_unix);

	ProcFile file_;
	std::vector<NetDevCounters> prev_, cur_;
	bool have_prev_ = false;
	std::vector<InterfaceTotals> totals_;
};

} // namespace serversan::agent
