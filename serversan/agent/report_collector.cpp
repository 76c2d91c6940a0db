#include "serversan/agent/report_collector.h"

#include <cmath>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "serversan/agent/collectors/counters_file.h"
#include "serversan/agent/collectors/file_handles.h"
#include "serversan/agent/collectors/load.h"
#include "serversan/agent/collectors/memory.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/agent/collectors/uptime.h"

namespace serversan::agent {

namespace {

uint64_t sysconf_or(int name, uint64_t fallback) {
	long v = ::sysconf(name);
	return v > 0 ? static_cast<uint64_t>(v) : fallback;
}

ReportCollector::Sources with_defaults(ReportCollector::Sources s) {
	if (!s.ipv4)
		s.ipv4 = netlink_ipv4_lister();
	if (!s.tcp_states)
		s.tcp_states = netlink_tcp_state_counter();
	if (!s.sleep)
		s.sleep = [](double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); };
	if (!s.monotonic)
		s.monotonic = ReportCollector::Steady::now;
	if (!s.uname)
		s.uname = system_uname;
	if (!s.statfs)
		s.statfs = stat_filesystem;
	if (!s.cpuid_vendor)
		s.cpuid_vendor = [] { return std::string(); };
	if (s.ticks_per_s == 0)
		s.ticks_per_s = sysconf_or(_SC_CLK_TCK, 100);
	if (s.page_size == 0)
		s.page_size = sysconf_or(_SC_PAGESIZE, 4096);
	return s;
}

double seconds_between(ReportCollector::Steady::time_point a, ReportCollector::Steady::time_point b) {
	return std::chrono::duration<double>(b - a).count();
}

// cpu MHz moves with frequency scaling, and btime can move by a second between reads on some
// kernels; neither alone must make every report resend the facts. `now` is restored before
// returning; comparing in place saves copying the facts every round.
bool same_facts(const HostFacts& sent, HostFacts& now) {
	std::optional<double> mhz = now.cpu_mhz;
	std::optional<int64_t> boot = now.boot_time;
	now.cpu_mhz = sent.cpu_mhz;
	if (sent.boot_time && boot && std::llabs(*sent.boot_time - *boot) <= 2)
		now.boot_time = sent.boot_time;
	bool same = sent == now;
	now.cpu_mhz = mhz;
	now.boot_time = boot;
	return same;
}

} // namespace

ReportCollector::ReportCollector(HostPaths paths, const Clock& clock)
    : ReportCollector(std::move(paths), clock, Options{}, Sources{}) {}

ReportCollector::ReportCollector(HostPaths paths, const Clock& clock, Sources sources)
    : ReportCollector(std::move(paths), clock, Options{}, std::move(sources)) {}

ReportCollector::ReportCollector(HostPaths paths, const Clock& clock, Options options)
    : ReportCollector(std::move(paths), clock, std::move(options), Sources{}) {}

ReportCollector::ReportCollector(HostPaths paths, const Clock& clock, Options options, Sources sources)
    : paths_(std::move(paths)), clock_(clock), options_(std::move(options)),
      sources_(with_defaults(std::move(sources))), stat_file_(join_path(paths_.proc, "stat")),
      loadavg_file_(join_path(paths_.proc, "loadavg")), meminfo_file_(join_path(paths_.proc, "meminfo")),
      uptime_file_(join_path(paths_.proc, "uptime")), file_nr_file_(join_path(paths_.proc, "sys/fs/file-nr")),
      process_counter_(paths_.proc), filesystems_(paths_, sources_.statfs), disks_(paths_), network_(paths_),
      addresses_(paths_, sources_.ipv4), sockets_(paths_), sessions_(paths_), temperatures_(paths_),
      processes_(paths_, sources_.ticks_per_s, sources_.page_size) {
	boot_id_ = read_boot_id(paths_.proc);
	load_counters_file();
}

ReportCollector::~ReportCollector() = default;

void ReportCollector::check(std::string_view key, std::string_view what, const Error* error) {
	if (!error) {
		// Formatting only for a source that had failed: a steady round allocates nothing here.
		if (log_.failing(key))
			log_.recovered(key, fmt::format("{}: readable again", what));
	} else if (!log_.failing(key) || log::level() <= log::Level::debug) {
		// A source that stays broken costs no formatting per round (a container without
		// sockstat6 would otherwise format the same line every time).
		log_.log(log::Level::warn, key, fmt::format("{}: {} (left out of reports)", what, error->message));
	}
}

void ReportCollector::load_counters_file() {
	if (options_.counters_path.empty())
		return;
	auto saved = load_counters(options_.counters_path);
	if (!saved) {
		log::warn("counters file ignored, network totals restart from the kernel counters: {}",
		          saved.error().message);
		return;
	}
	bool same_boot = !boot_id_.empty() && saved->boot_id == boot_id_;
	network_.restore(std::move(saved->interfaces), same_boot);
}

Result<void> ReportCollector::save() {
	if (options_.counters_path.empty() || options_.counters_read_only)
		return Ok();
	SavedCounters c{boot_id_, network_.totals()};
	auto saved = save_counters(options_.counters_path, c);
	if (!saved)
		return Err(fmt::format("cannot save the network totals: {}", saved.error().message));
	return Ok();
}

void ReportCollector::maybe_save(Steady::time_point now) {
	if (options_.counters_path.empty() || options_.counters_read_only)
		return;
	if (last_save_ && seconds_between(*last_save_, now) < options_.counters_save_interval_s)
		return;
	last_save_ = now;
	auto saved = save();
	check_result("counters", "counters file", saved);
}

void ReportCollector::prime() {
	Steady::time_point now = sources_.monotonic();
	auto text = stat_file_.read();
	check_result("stat", "cpu", text);
	have_prev_stat_ = text.ok();
	if (text)
		parse_stat_into(*text, prev_stat_);
	std::vector<DiskIo> disks;
	(void)disks_.collect(std::nullopt, disks);
	std::vector<NetInterface> interfaces;
	(void)network_.collect(std::nullopt, clock_.unix_seconds(), interfaces);
	if (options_.slow_interval_s > 0) {
		auto primed = processes_.prime(now);
		check_result("processes", "processes", primed);
	}
	prev_time_ = now;
	primed_ = true;
}

void ReportCollector::request_slow_sections(bool top_processes, bool tcp_states) {
	if (top_processes) {
		want_top_ = true;
		auto primed = processes_.prime(sources_.monotonic());
		check_result("processes", "processes", primed);
	}
	if (tcp_states)
		want_tcp_ = true;
}

void ReportCollector::refresh_host(Steady::time_point now) {
	if (host_time_ && seconds_between(*host_time_, now) < options_.host_facts_interval_s) {
		// Between look-ups only what uname says can change cheaply; btime comes with /proc/stat.
		UnameInfo u = sources_.uname();
		host_facts_->hostname = u.nodename;
		host_facts_->kernel = u.release;
		host_facts_->arch = u.machine;
		return;
	}
	host_time_ = now;
	HostSample host = collect_host(paths_, sources_.uname(), sources_.cpuid_vendor());
	for (const Error& e : host.problems)
		log_.log(log::Level::warn, fmt::format("host:{}", e.message),
		         fmt::format("host facts: {}", e.message));
	host_facts_ = std::move(host.facts);
	temperatures_.discover();
}

void ReportCollector::slow_pass(Report& r, Steady::time_point now, bool top, bool tcp) {
	if (top) {
		if (!processes_.has_baseline()) {
			auto primed = processes_.prime(now);
			check_result("processes", "processes", primed);
			if (primed && options_.slow_priming_s > 0) {
				sources_.sleep(options_.slow_priming_s);
				now = sources_.monotonic();
			}
		}
		auto pass = processes_.pass(now, options_.top_n);
		check_result("processes", "processes", pass);
		// The pass walks /proc anyway; the every-round count learns its constant again meanwhile.
		process_counter_.recalibrate();
		if (pass) {
			r.processes.total = pass->counts.total;
			r.processes.zombie = pass->counts.zombie;
			r.top_cpu = std::move(pass->top_cpu);
			r.top_memory = std::move(pass->top_memory);
		}
	}
	if (tcp) {
		auto counts = sources_.tcp_states();
		check_result("tcp_states", "tcp states (sock_diag)", counts);
		if (counts)
			r.tcp_states = counts->to_report();
	}
}

Report ReportCollector::collect() {
	Report r;
	r.time_ms = clock_.unix_millis();

	// The slow sections first, so that their priming sleep (if any) does not fall between the
	// every-round samples.
	Steady::time_point now = sources_.monotonic();
	bool due = options_.slow_interval_s > 0 &&
	           (!last_slow_ || seconds_between(*last_slow_, now) + 0.5 * seconds_between(prev_time_, now) >=
	                               options_.slow_interval_s);
	bool top = due || want_top_, tcp = due || want_tcp_;
	if (top || tcp) {
		slow_pass(r, now, top, tcp);
		if (due)
			last_slow_ = now;
		want_top_ = want_tcp_ = false;
	}

	auto stat = stat_file_.read();
	now = sources_.monotonic();
	double seconds = seconds_between(prev_time_, now);
	std::optional<double> interval;
	if (primed_ && seconds > 0)
		interval = seconds;
	check_result("stat", "cpu", stat);
	if (stat) {
		parse_stat_into(*stat, cur_stat_);
		if (have_prev_stat_ && interval) {
			r.cpu = cpu_between(prev_stat_, cur_stat_, seconds);
			r.interval_s = seconds;
		}
		r.processes.blocked = cur_stat_.procs_blocked;
		std::swap(prev_stat_, cur_stat_);
		have_prev_stat_ = true;
	} else {
		have_prev_stat_ = false;
	}
	prev_time_ = now;
	primed_ = true;

	auto loadavg = loadavg_file_.read();
	check_result("loadavg", "load", loadavg);
	if (loadavg) {
		LoadSample load = parse_loadavg(*loadavg);
		r.load = load.load;
		r.processes.running = load.processes.running;
		r.processes.threads = load.processes.threads;
	}
	if (!r.processes.total) {
		auto count = process_counter_.count();
		check_result("pids", "process count", count);
		if (count)
			r.processes.total = *count;
	}

	auto meminfo = meminfo_file_.read();
	check_result("meminfo", "memory", meminfo);
	if (meminfo)
		r.memory = parse_meminfo(*meminfo);

	auto uptime = uptime_file_.read();
	check_result("uptime", "uptime", uptime);
	if (uptime)
		r.uptime_s = parse_uptime(*uptime);

	check_result("mounts", "filesystems", filesystems_.collect(r.filesystems));
	check_result("diskstats", "disks", disks_.collect(interval, r.disks));

	auto network = network_.collect(interval, clock_.unix_seconds(), r.interfaces);
	check_result("net/dev", "network", network);
	if (!r.interfaces.empty()) {
		auto [v6, v4] = addresses_.refresh();
		check_result("if_inet6", "IPv6 addresses", v6);
		check_result("ipv4", "IPv4 addresses (netlink)", v4);
		for (NetInterface& ni : r.interfaces) {
			ni.ipv4 = primary_address(addresses_.entries(), ni.name, AF_INET);
			ni.ipv6 = primary_address(addresses_.entries(), ni.name, AF_INET6);
		}
	}

	const Error* socket_errors[3];
	sockets_.collect(r.sockets, socket_errors);
	check("snmp", "TCP connections (net/snmp)", socket_errors[0]);
	check("sockstat", "sockets (net/sockstat)", socket_errors[1]);
	check("sockstat6", "IPv6 sockets (net/sockstat6)", socket_errors[2]);
	auto file_nr = file_nr_file_.read();
	check_result("file-nr", "file handles", file_nr);
	if (file_nr) {
		FileHandles h = parse_file_nr(*file_nr);
		r.sockets.file_handles_used = h.used;
		r.sockets.file_handles_max = h.max;
	}

	auto sessions = sessions_.collect();
	check_result("sessions", "sessions (utmp)", sessions);
	if (sessions)
		r.sessions = *sessions;

	refresh_host(now);
	if (host_facts_) {
		if (stat && prev_stat_.boot_time)
			host_facts_->boot_time = prev_stat_.boot_time;
		if (!host_sent_ || !same_facts(*host_sent_, *host_facts_)) {
			r.host = *host_facts_;
			host_sent_ = *host_facts_;
		}
	}
	temperatures_.collect(r.temperatures);

	maybe_save(now);
	return r;
}

} // namespace serversan::agent
