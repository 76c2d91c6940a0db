// ReportCollector: runs the collectors and assembles a Report (seq and the batch-level fields are
// the caller's). It owns what must survive between rounds: the previous samples of every counter
// (CPU, disks, network: rates are deltas), the open /proc files, the host facts last put in a
// report (sent in the first report and again only when one changes), and the network byte totals,
// which it also keeps across restarts in its counters file (collectors/counters_file.h).
//
// Cadence (issue 11): every collect() reads the cheap system-wide sources, from files kept open
// and re-read with pread: /proc/stat, loadavg, meminfo, uptime, the process count (one stat of
// /proc, see ProcessCounter),
// mountinfo (re-parsed only when the mount table changed) and statvfs of each real filesystem,
// diskstats, net/dev, if_inet6 and an RTM_GETADDR dump, snmp, sockstat(6), file-nr, utmp and the
// temperature sensors. The slow sections, the per-process pass (top processes by CPU and memory,
// zombies) and the TCP by-state dump, run every Options::slow_interval_s and in the next
// collect() after request_slow_sections(). Host facts (os-release, cpuinfo, virtualization) are
// re-read every Options::host_facts_interval_s, not every round.
//
// A source that fails leaves its part of the report empty and is logged once (and again when it
// recovers), not every round.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "serversan/agent/collectors/addresses.h"
#include "serversan/agent/collectors/cpu.h"
#include "serversan/agent/collectors/disks.h"
#include "serversan/agent/collectors/filesystems.h"
#include "serversan/agent/collectors/host.h"
#include "serversan/agent/collectors/network.h"
#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/collectors/processes.h"
#include "serversan/agent/collectors/sessions.h"
#include "serversan/agent/collectors/sockets.h"
#include "serversan/agent/collectors/tcp_states.h"
#include "serversan/agent/collectors/temperatures.h"
#include "serversan/agent/collectors/virtualization.h"
#include "serversan/agent/host_paths.h"
#include "serversan/agent/log_once.h"
#include "serversan/core/clock.h"
#include "serversan/core/report.h"

namespace serversan::agent {

class ReportCollector {
public:
	using Steady = std::chrono::steady_clock;

	// What tests replace: everything that does not come from the files under HostPaths.
	struct Sources {
		std::function<UnameInfo()> uname = system_uname;
		StatFs statfs = stat_filesystem;
		std::function<Steady::time_point()> monotonic = Steady::now;
		std::function<std::string()> cpuid_vendor = cpuid_hypervisor_vendor;
		Ipv4Lister ipv4;                           // null: the netlink RTM_GETADDR dump
		TcpStateSource tcp_states;                 // null: the netlink sock_diag dump
		std::function<void(double seconds)> sleep; // null: sleep this thread (slow-pass priming)
		uint64_t ticks_per_s = 0;                  // 0: sysconf(_SC_CLK_TCK)
		uint64_t page_size = 0;                    // 0: sysconf(_SC_PAGESIZE)
	};

	struct Options {
		// Top processes and TCP states every this many seconds; 0: only when requested.
		double slow_interval_s = 300;
		// Where the network totals survive restarts; "" keeps them in memory only.
		std::string counters_path;
		// Read the counters file but never write it (--print must not change the agent's state).
		bool counters_read_only = false;
		// collect() saves the counters at most this often (save() writes at once).
		double counters_save_interval_s = 300;
		// os-release, cpuinfo, virtualization and the temperature sensors are looked up again
		// this often.
		double host_facts_interval_s = 600;
		// A slow pass without a CPU baseline (none taken yet) first samples for this long.
		double slow_priming_s = 0.25;
		size_t top_n = 10;
	};

	// The counters file beside a state file: "<state_file>.counters".
	static std::string counters_path_for(const std::string& state_file) { return state_file + ".counters"; }

	// Without Options: the defaults, with the network totals in memory only.
	ReportCollector(HostPaths paths, const Clock& clock);
	ReportCollector(HostPaths paths, const Clock& clock, Sources sources);
	ReportCollector(HostPaths paths, const Clock& clock, Options options);
	ReportCollector(HostPaths paths, const Clock& clock, Options options, Sources sources);
	~ReportCollector();
	ReportCollector(const ReportCollector&) = delete;
	ReportCollector& operator=(const ReportCollector&) = delete;

	// Takes the baselines (CPU, disks, network and, when the slow sections are on, the processes'
	// CPU ticks); the next collect() measures from here. Without it, the first report has no
	// rates, shares or interval.
	void prime();

	// One report: rates and shares cover the time since the previous collect() or prime().
	Report collect();

	// The next collect() carries top_cpu/top_memory and/or tcp_states, whatever the cadence.
	// Top processes' CPU % then covers the time from this call to that collect(): the call takes
	// the baseline (one pass over /proc, about 9 us per process).
	void request_slow_sections(bool top_processes = true, bool tcp_states = true);

	// Puts the host facts into the next report even if unchanged (e.g. the report that carried
	// them was dropped).
	void resend_host() { host_sent_.reset(); }

	// Writes the counters file now (call it at shutdown). Ok without a path or in read-only mode.
	Result<void> save();

private:
	// Logs a source's failure once, and its recovery; error null means it worked.
	void check(std::string_view key, std::string_view what, const Error* error);
	template <typename R>
	void check_result(std::string_view key, std::string_view what, const R& result) {
		check(key, what, result ? nullptr : &result.error());
	}
	void load_counters_file();
	void maybe_save(Steady::time_point now);
	void slow_pass(Report& r, Steady::time_point now, bool top, bool tcp);
	void refresh_host(Steady::time_point now);

	HostPaths paths_;
	const Clock& clock_;
	Options options_;
	Sources sources_;
	LogOnce log_;

	ProcFile stat_file_, loadavg_file_, meminfo_file_, uptime_file_, file_nr_file_;
	ProcessCounter process_counter_;
	StatSample prev_stat_, cur_stat_;
	bool have_prev_stat_ = false;
	bool primed_ = false;
	Steady::time_point prev_time_{};

	FilesystemCollector filesystems_;
	DiskCollector disks_;
	NetworkCollector network_;
	AddressCollector addresses_;
	SocketCollector sockets_;
	SessionCollector sessions_;
	TemperatureCollector temperatures_;
	ProcessCollector processes_;

	std::optional<HostFacts> host_facts_; // the latest looked up
	std::optional<Steady::time_point> host_time_;
	std::optional<HostFacts> host_sent_;

	std::optional<Steady::time_point> last_slow_;
	bool want_top_ = false, want_tcp_ = false;

	std::string boot_id_;
	std::optional<Steady::time_point> last_save_;
};

} // namespace serversan::agent
