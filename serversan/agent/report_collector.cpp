#include "serversan/agent/report_collector.h"

#include "serversan/agent/collectors/load.h"
#include "serversan/agent/collectors/memory.h"
#include "serversan/agent/collectors/uptime.h"

namespace serversan::agent {

ReportCollector::ReportCollector(HostPaths paths, const Clock& clock)
    : ReportCollector(std::move(paths), clock, Sources{}) {}

ReportCollector::ReportCollector(HostPaths paths, const Clock& clock, Sources sources)
    : paths_(std::move(paths)), clock_(clock), sources_(std::move(sources)) {}

void ReportCollector::check(std::string_view key, std::string_view what, const Error* error) {
	if (!error)
		log_.recovered(key, fmt::format("{}: readable again", what));
	else
		log_.log(log::Level::warn, key, fmt::format("{}: {} (left out of reports)", what, error->message));
}

void ReportCollector::prime() {
	auto stat = read_stat(paths_.proc);
	prev_time_ = sources_.monotonic();
	check("stat", "cpu", stat ? nullptr : &stat.error());
	if (stat)
		prev_stat_ = std::move(*stat);
	else
		prev_stat_.reset();
}

namespace {
// cpu MHz moves with frequency scaling; it alone must not make every report resend the facts.
bool same_facts(HostFacts a, HostFacts b) {
	a.cpu_mhz.reset();
	b.cpu_mhz.reset();
	return a == b;
}
} // namespace

Report ReportCollector::collect() {
	Report r;
	r.time_ms = clock_.unix_millis();

	auto check_result = [this](std::string_view key, std::string_view what, const auto& result) {
		check(key, what, result ? nullptr : &result.error());
	};

	auto stat = read_stat(paths_.proc);
	auto now = sources_.monotonic();
	check_result("stat", "cpu", stat);
	if (stat) {
		if (prev_stat_) {
			double seconds = std::chrono::duration<double>(now - prev_time_).count();
			r.cpu = cpu_between(*prev_stat_, *stat, seconds);
			if (seconds > 0)
				r.interval_s = seconds;
		}
		r.processes.blocked = stat->procs_blocked;
		prev_stat_ = std::move(*stat);
	} else {
		prev_stat_.reset();
	}
	prev_time_ = now;

	auto load = collect_load(paths_.proc);
	check_result("loadavg", "load", load);
	if (load) {
		r.load = load->load;
		r.processes.total = load->processes.total;
		r.processes.running = load->processes.running;
		r.processes.threads = load->processes.threads;
	}

	auto memory = collect_memory(paths_.proc);
	check_result("meminfo", "memory", memory);
	if (memory)
		r.memory = *memory;

	auto uptime = collect_uptime(paths_.proc);
	check_result("uptime", "uptime", uptime);
	if (uptime)
		r.uptime_s = *uptime;

	auto filesystems = collect_filesystems(paths_, sources_.statfs);
	check_result("mounts", "filesystems", filesystems);
	if (filesystems)
		r.filesystems = std::move(*filesystems);

	HostSample host = collect_host(paths_, sources_.uname());
	for (const Error& e : host.problems)
		log_.log(log::Level::warn, fmt::format("host:{}", e.message),
		         fmt::format("host facts: {}", e.message));
	if (!host_sent_ || !same_facts(*host_sent_, host.facts)) {
		r.host = host.facts;
		host_sent_ = std::move(host.facts);
	}
	return r;
}

} // namespace serversan::agent
