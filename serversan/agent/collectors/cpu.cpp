#include "serversan/agent/collectors/cpu.h"

#include <array>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

namespace {

CpuTicks parse_ticks(std::string_view rest) {
	// Older kernels stop after idle (2.4), iowait..softirq (2.6.0) or steal (2.6.11).
	CpuTicks t;
	std::optional<uint64_t>* slots[] = {&t.user,   &t.nice, &t.system,  &t.idle,
	                                    &t.iowait, &t.irq,  &t.softirq, &t.steal};
	for (auto* slot : slots) {
		std::string_view f = next_field(rest);
		if (f.empty())
			break;
		*slot = to_u64(f);
	}
	return t;
}

} // namespace

void parse_stat_into(std::string_view text, StatSample& s) {
	s.total.reset();
	s.cores.clear();
	s.context_switches.reset();
	s.interrupts.reset();
	s.boot_time.reset();
	s.procs_running.reset();
	s.procs_blocked.reset();
	while (!text.empty()) {
		std::string_view rest = next_line(text);
		std::string_view key = next_field(rest);
		if (key.empty())
			continue;
		if (key == "cpu") {
			s.total = parse_ticks(rest);
		} else if (key.starts_with("cpu")) {
			if (auto n = to_u64(key.substr(3)); n && *n < kMaxCores)
				s.cores.emplace_back(static_cast<uint32_t>(*n), parse_ticks(rest));
		} else {
			// "intr" is followed by one count per interrupt line (thousands on big machines);
			// only the first, the total, is parsed.
			std::string_view value = next_field(rest);
			if (value.empty())
				continue;
			if (key == "ctxt")
				s.context_switches = to_u64(value);
			else if (key == "intr")
				s.interrupts = to_u64(value);
			else if (key == "btime")
				s.boot_time = to_i64(value);
			else if (key == "procs_running")
				s.procs_running = to_u64(value);
			else if (key == "procs_blocked")
				s.procs_blocked = to_u64(value);
		}
	}
}

StatSample parse_stat(std::string_view text) {
	StatSample s;
	parse_stat_into(text, s);
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
	// Cores are matched by number; the kernel lists them in the same order every time, so the
	// same index is tried first and a search is needed only after a hotplug.
	cpu.cores.reserve(after.cores.size());
	for (size_t i = 0; i < after.cores.size(); ++i) {
		const auto& [n, ticks] = after.cores[i];
		const CpuTicks* prev = nullptr;
		if (i < before.cores.size() && before.cores[i].first == n) {
			prev = &before.cores[i].second;
		} else {
			for (const auto& [m, t] : before.cores) {
				if (m == n) {
					prev = &t;
					break;
				}
			}
		}
		cpu.cores.push_back(prev ? cpu_times_between(*prev, ticks) : CpuTimes{});
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
