#include "serversan/agent/collectors/cpu.h"

#include <array>
#include <map>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

namespace {

CpuTicks parse_ticks(const std::vector<std::string_view>& f) {
	// f[0] is the "cpu"/"cpuN" label; older kernels stop after idle (2.4), iowait..softirq
	// (2.6.0) or steal (2.6.11).
	CpuTicks t;
	std::array<std::optional<uint64_t>*, 8> slots{&t.user,   &t.nice, &t.system,  &t.idle,
	                                              &t.iowait, &t.irq,  &t.softirq, &t.steal};
	for (size_t i = 0; i < slots.size() && i + 1 < f.size(); ++i)
		*slots[i] = to_u64(f[i + 1]);
	return t;
}

} // namespace

StatSample parse_stat(std::string_view text) {
	StatSample s;
	for_each_line(text, [&](std::string_view line) {
		auto f = split_ws(line);
		if (f.empty())
			return;
		std::string_view key = f[0];
		if (key == "cpu") {
			s.total = parse_ticks(f);
		} else if (key.starts_with("cpu")) {
			if (auto n = to_u64(key.substr(3)); n && *n < kMaxCores)
				s.cores.emplace_back(static_cast<uint32_t>(*n), parse_ticks(f));
		} else if (f.size() >= 2) {
			if (key == "ctxt")
				s.context_switches = to_u64(f[1]);
			else if (key == "intr")
				s.interrupts = to_u64(f[1]);
			else if (key == "btime")
				s.boot_time = to_i64(f[1]);
			else if (key == "procs_running")
				s.procs_running = to_u64(f[1]);
			else if (key == "procs_blocked")
				s.procs_blocked = to_u64(f[1]);
		}
	});
	return s;
}

Result<StatSample> read_stat(const std::string& proc_root) {
	auto text = read_text_file(join_path(proc_root, "stat"));
	if (!text)
		return text.error();
	return parse_stat(*text);
}

CpuTimes cpu_times_between(const CpuTicks& before, const CpuTicks& after) {
	using Field = std::optional<uint64_t> CpuTicks::*;
	using Share = std::optional<double> CpuTimes::*;
	static constexpr std::pair<Field, Share> fields[] = {
	    {&CpuTicks::user, &CpuTimes::user},     {&CpuTicks::nice, &CpuTimes::nice},
	    {&CpuTicks::system, &CpuTimes::system}, {&CpuTicks::iowait, &CpuTimes::iowait},
	    {&CpuTicks::irq, &CpuTimes::irq},       {&CpuTicks::softirq, &CpuTimes::softirq},
	    {&CpuTicks::steal, &CpuTimes::steal},   {&CpuTicks::idle, &CpuTimes::idle},
	};
	std::array<std::optional<uint64_t>, std::size(fields)> delta;
	uint64_t total = 0;
	for (size_t i = 0; i < std::size(fields); ++i) {
		const auto& a = before.*(fields[i].first);
		const auto& b = after.*(fields[i].first);
		if (!a || !b)
			continue;
		delta[i] = *b >= *a ? *b - *a : 0;
		total += *delta[i];
	}
	CpuTimes out;
	if (total == 0)
		return out;
	for (size_t i = 0; i < std::size(fields); ++i) {
		if (delta[i])
			out.*(fields[i].second) = 100.0 * static_cast<double>(*delta[i]) / static_cast<double>(total);
	}
	return out;
}

Cpu cpu_between(const StatSample& before, const StatSample& after, double seconds) {
	Cpu cpu;
	if (before.total && after.total)
		cpu.total = cpu_times_between(*before.total, *after.total);
	std::map<uint32_t, const CpuTicks*> prev;
	for (const auto& [n, ticks] : before.cores)
		prev.emplace(n, &ticks);
	cpu.cores.reserve(after.cores.size());
	for (const auto& [n, ticks] : after.cores) {
		auto it = prev.find(n);
		cpu.cores.push_back(it == prev.end() ? CpuTimes{} : cpu_times_between(*it->second, ticks));
	}
	if (seconds > 0) {
		auto rate = [seconds](std::optional<uint64_t> a, std::optional<uint64_t> b) -> std::optional<double> {
			if (!a || !b || *b < *a)
				return std::nullopt;
			return static_cast<double>(*b - *a) / seconds;
		};
		cpu.context_switches_per_s = rate(before.context_switches, after.context_switches);
		cpu.interrupts_per_s = rate(before.interrupts, after.interrupts);
	}
	return cpu;
}

} // namespace serversan::agent
