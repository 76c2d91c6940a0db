// ReportCollector: runs every collector once per round and assembles a Report (seq and the
// batch-level fields are the caller's). It owns what must survive between rounds: the previous
// /proc/stat sample (CPU shares are deltas) and the host facts last put in a report (they are
// sent in the first report and again only when one changes).
//
// A source that fails leaves its part of the report empty and is logged once, not every round.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "serversan/agent/collectors/cpu.h"
#include "serversan/agent/collectors/filesystems.h"
#include "serversan/agent/collectors/host.h"
#include "serversan/agent/host_paths.h"
#include "serversan/agent/log_once.h"
#include "serversan/core/clock.h"
#include "serversan/core/report.h"

namespace serversan::agent {

class ReportCollector {
public:
	struct Sources {
		std::function<UnameInfo()> uname = system_uname;
		StatFs statfs = stat_filesystem;
		std::function<std::chrono::steady_clock::time_point()> monotonic = std::chrono::steady_clock::now;
	};

	ReportCollector(HostPaths paths, const Clock& clock);
	ReportCollector(HostPaths paths, const Clock& clock, Sources sources);

	// Takes the CPU baseline; the next collect() measures from here. Without it, the first
	// report has no CPU shares and no interval.
	void prime();

	// One report: CPU shares and rates cover the time since the previous collect() or prime().
	Report collect();

	// Puts the host facts into the next report even if unchanged (e.g. the report that carried
	// them was dropped).
	void resend_host() { host_sent_.reset(); }

private:
	// Logs a source's failure once, and its recovery; error null means it worked.
	void check(std::string_view key, std::string_view what, const Error* error);

	HostPaths paths_;
	const Clock& clock_;
	Sources sources_;
	std::optional<StatSample> prev_stat_;
	std::chrono::steady_clock::time_point prev_time_{};
	std::optional<HostFacts> host_sent_;
	LogOnce log_;
};

} // namespace serversan::agent
