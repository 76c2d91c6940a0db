// Processes collector, the slow-cadence per-process pass: one read of every <proc>/PID/stat
// gives the process count, zombies (state Z), threads, and each process's CPU ticks and resident
// pages; from them the top N by CPU and by resident memory. Only the (at most 2N) processes that
// make a top list cost more: their <proc>/PID/status for the effective uid, named through
// <etc>/passwd (the host's, read again only when it changes; a uid it does not list is shown as
// the number).
//
// CPU % is the share of one core the process used between the baseline (the previous pass, or
// prime()) and this pass: a process using two cores shows 200. A pid seen in both with the same
// start time is the same process; a process that started after the baseline counts all its
// ticks. Without a baseline, cpu_percent is empty and there is no top_cpu list.
//
// Costs about one openat + read + close per process (~9 us each on a small VM), which is why the
// caller runs it seldom. Processes that exit mid-pass are skipped.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct PidStat {
	uint32_t pid = 0;
	std::string_view comm; // points into the parsed text
	char state = 0;
	uint64_t cpu_ticks = 0;   // utime + stime
	uint64_t start_ticks = 0; // starttime, ticks after boot
	uint64_t threads = 0;
	uint64_t rss_pages = 0;
};
// One <proc>/PID/stat line; nullopt if malformed. The command name may hold spaces and ')'.
std::optional<PidStat> parse_pid_stat(std::string_view text);
// The effective uid from a <proc>/PID/status text ("Uid: real effective saved fs").
std::optional<uint32_t> parse_status_euid(std::string_view text);

// uid -> user name from an /etc/passwd text.
std::unordered_map<uint32_t, std::string> parse_passwd(std::string_view text);

// The number of processes every round without walking <proc>. procfs reports
// st_nlink(<proc>) = a constant + nr_processes() (every process of the system, zombies included),
// so once one listing has taught the constant, a round costs one stat (about 1.6 us) instead of
// a getdents walk (35 us for 92 processes on the benchmark VM, ~0.4 us more per process). That
// holds only when <proc> belongs to the initial pid namespace (it then lists every process):
// <proc>/self/ns/pid names it. Elsewhere (a container with its own pid namespace, fixture trees)
// every count lists <proc>. The constant is learnt again after recalibrate() (a module that adds
// a directory to /proc changes it) and whenever the result would be nonsense.
class ProcessCounter {
public:
	explicit ProcessCounter(const std::string& proc_root);
	Result<uint64_t> count();
	void recalibrate() { offset_.reset(); }
	bool uses_nlink() const { return nlink_usable_; }

private:
	Result<uint64_t> list();

	std::string proc_;
	PidDirectory dir_;
	std::vector<uint32_t> pids_;
	bool nlink_usable_ = false;
	std::optional<int64_t> offset_;
};

struct ProcessPass {
	ProcessCounts counts; // total, zombie and threads
	std::optional<std::vector<ProcessEntry>> top_cpu;
	std::vector<ProcessEntry> top_memory;
};

class ProcessCollector {
public:
	using TimePoint = std::chrono::steady_clock::time_point;

	// ticks_per_s and page_size: sysconf(_SC_CLK_TCK) and sysconf(_SC_PAGESIZE) of the host.
	ProcessCollector(const HostPaths& paths, uint64_t ticks_per_s, uint64_t page_size);

	// Takes a baseline for the next pass's CPU %.
	Result<void> prime(TimePoint now);
	bool has_baseline() const { return have_prev_; }
	// The pass; it becomes the next pass's baseline. Error if <proc> cannot be listed.
	Result<ProcessPass> pass(TimePoint now, size_t top_n);

	// The previous pass's process count (for the every-round report between passes).
	size_t last_count() const { return prev_.size(); }

private:
	struct Snap {
		uint32_t pid;
		char state;
		uint8_t comm_len;
		char comm[16];
		uint64_t cpu_ticks, start_ticks, threads, rss_pages;
		uint64_t delta_ticks; // since the baseline, filled by pass()
	};
	Result<void> snapshot(std::vector<Snap>& out);
	std::string user_of(uint32_t pid);

	std::string proc_, passwd_path_;
	uint64_t ticks_per_s_, page_size_;
	PidDirectory dir_;
	std::vector<uint32_t> pids_;
	std::vector<Snap> prev_, cur_;
	std::vector<uint32_t> order_;
	bool have_prev_ = false;
	TimePoint prev_time_{};
	std::unordered_map<uint32_t, std::string> users_;
	int64_t passwd_mtime_ns_ = -1;
	int64_t passwd_size_ = -1;
};

} // namespace serversan::agent
