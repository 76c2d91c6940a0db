// The agent's counters file: what the collectors must remember across restarts, kept beside the
// state file (default /var/lib/serversan/agent.state.counters). Today: each interface's byte
// totals and the raw kernel counters they were last updated from, and the boot they belong to.
//
//   serversan-counters 1
//   boot_id 5b3c1b0e-0c2f-4a59-a0d6-4f3bd1a1e2c4        (<proc>/sys/kernel/random/boot_id)
//   net eth0 <raw_rx> <raw_tx> <total_rx> <total_tx> <last seen, unix seconds>
//
// Written atomically (temporary file, fsync, rename). A file that does not parse is an Error
// (the caller logs it once and starts from the kernel counters); nothing in it is trusted
// partially.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/collectors/network.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct SavedCounters {
	std::string boot_id; // empty if unknown
	std::vector<InterfaceTotals> interfaces;
	bool operator==(const SavedCounters&) const = default;
};

std::string format_counters(const SavedCounters& c);
Result<SavedCounters> parse_counters(std::string_view text);

// Error if the file cannot be read or parsed; a missing file is an empty SavedCounters.
Result<SavedCounters> load_counters(const std::string& path);
Result<void> save_counters(const std::string& path, const SavedCounters& c);

// <proc>/sys/kernel/random/boot_id, "" if unreadable.
std::string read_boot_id(const std::string& proc_root);

} // namespace serversan::agent
