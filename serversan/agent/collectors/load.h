// Load collector: <proc>/loadavg -> Load and process counts.
//
// loadavg's "running/total" counts scheduling entities, i.e. threads, so "total" becomes
// ProcessCounts::threads; ProcessCounts::total (processes) is the number of pid directories in
// <proc>. "running" includes the agent itself.
#pragma once

#include <string>
#include <string_view>

#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct LoadSample {
	Load load;
	ProcessCounts processes; // running, threads and total; blocked comes from the cpu collector
};

// Error only if loadavg cannot be read.
Result<LoadSample> collect_load(const std::string& proc_root);
LoadSample parse_loadavg(std::string_view text);
// Numeric entries in proc_root; empty if it cannot be listed.
std::optional<uint64_t> count_processes(const std::string& proc_root);

} // namespace serversan::agent
