#include "serversan/agent/collectors/host.h"

#include <set>
#include <sys/utsname.h>

#include <fmt/format.h>

#include "serversan/agent/collectors/cpu.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/agent/collectors/virtualization.h"

namespace serversan::agent {

UnameInfo system_uname() {
	utsname u{};
	if (::uname(&u) != 0)
		return {};
	return {u.nodename, u.release, u.machine};
}

namespace {

// os-release values are shell-like: optionally quoted, backslash escapes inside quotes.
std::string unquote(std::string_view v) {
	v = trim(v);
	if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
		char q = v.front();
		v = v.substr(1, v.size() - 2);
		std::string out;
		for (size_t i = 0; i < v.size(); ++i) {
			if (q == '"' && v[i] == '\\' && i + 1 < v.size())
				++i;
			out.push_back(v[i]);
		}
		return out;
	}
	return std::string(v);
}

} // namespace

OsRelease parse_os_release(std::string_view text) {
	OsRelease r;
	for_each_line(text, [&](std::string_view line) {
		line = trim(line);
		if (line.empty() || line.front() == '#')
			return;
		size_t eq = line.find('=');
		if (eq == std::string_view::npos)
			return;
		std::string_view key = line.substr(0, eq);
		if (key == "NAME")
			r.name = unquote(line.substr(eq + 1));
		else if (key == "VERSION_ID")
			r.version_id = unquote(line.substr(eq + 1));
	});
	return r;
}

OsRelease parse_redhat_release(std::string_view text) {
	OsRelease r;
	std::string_view line = trim(next_line(text));
	size_t at = line.find(" release ");
	if (at == std::string_view::npos)
		return r;
	r.name = trim(line.substr(0, at));
	std::string_view rest = line.substr(at + 9);
	r.version_id = next_field(rest);
	return r;
}

CpuInfo parse_cpuinfo(std::string_view text) {
	CpuInfo info;
	// The first key found wins, in this preference: x86 and most others, old 32-bit ARM, MIPS,
	// RISC-V, POWER.
	static constexpr std::string_view model_keys[] = {"model name", "Processor", "cpu model", "uarch", "cpu"};
	size_t model_rank = std::size(model_keys);
	uint32_t processors = 0;
	std::set<std::pair<std::string, std::string>> cores;
	std::string physical_id, core_id;
	bool topology_complete = true;
	auto end_block = [&] {
		if (physical_id.empty() || core_id.empty())
			topology_complete = false;
		else
			cores.emplace(physical_id, core_id);
		physical_id.clear();
		core_id.clear();
	};
	bool in_block = false;
	for_each_line(text, [&](std::string_view line) {
		size_t colon = line.find(':');
		if (colon == std::string_view::npos) {
			if (in_block && trim(line).empty()) {
				end_block();
				in_block = false;
			}
			return;
		}
		std::string_view key = trim(line.substr(0, colon));
		std::string_view value = trim(line.substr(colon + 1));
		if (key == "processor" && to_u64(value)) {
			if (in_block)
				end_block();
			in_block = true;
			++processors;
		} else if (key == "physical id") {
			physical_id = value;
		} else if (key == "core id") {
			core_id = value;
		} else if (key == "cpu MHz" && !info.mhz) {
			info.mhz = to_double(value);
		} else {
			for (size_t i = 0; i < model_rank; ++i) {
				if (key == model_keys[i] && !value.empty()) {
					info.model = value;
					model_rank = i;
					break;
				}
			}
		}
	});
	if (in_block)
		end_block();
	if (processors > 0) {
		info.logical = processors;
		if (topology_complete && !cores.empty())
			info.physical = static_cast<uint32_t>(cores.size());
	}
	return info;
}

std::optional<uint32_t> count_cpu_list(std::string_view text) {
	text = trim(text);
	if (text.empty())
		return std::nullopt;
	uint64_t n = 0;
	while (!text.empty()) {
		size_t comma = text.find(',');
		std::string_view part = text.substr(0, comma);
		text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
		size_t dash = part.find('-');
		auto lo = to_u64(part.substr(0, dash));
		auto hi = dash == std::string_view::npos ? lo : to_u64(part.substr(dash + 1));
		if (!lo || !hi || *hi < *lo || *hi >= 1u << 20)
			return std::nullopt;
		n += *hi - *lo + 1;
	}
	if (n > UINT32_MAX)
		return std::nullopt;
	return static_cast<uint32_t>(n);
}

std::optional<uint32_t> count_physical_cores_sysfs(const std::string& sys_root) {
	std::string cpu_dir = join_path(sys_root, "devices/system/cpu");
	auto online = read_text_file(join_path(cpu_dir, "online"), 4096);
	if (!online)
		return std::nullopt;
	std::set<std::pair<int64_t, int64_t>> cores;
	std::string_view list = trim(*online);
	while (!list.empty()) {
		size_t comma = list.find(',');
		std::string_view part = list.substr(0, comma);
		list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
		size_t dash = part.find('-');
		auto lo = to_u64(part.substr(0, dash));
		auto hi = dash == std::string_view::npos ? lo : to_u64(part.substr(dash + 1));
		if (!lo || !hi || *hi < *lo || *hi >= kMaxCores)
			return std::nullopt;
		for (uint64_t n = *lo; n <= *hi; ++n) {
			std::string topology = fmt::format("{}/cpu{}/topology/", cpu_dir, n);
			auto package = read_text_file(topology + "physical_package_id", 64);
			auto core = read_text_file(topology + "core_id", 64);
			if (!package || !core)
				return std::nullopt;
			auto p = to_i64(trim(*package));
			auto c = to_i64(trim(*core));
			if (!p || !c)
				return std::nullopt;
			cores.emplace(*p, *c);
		}
	}
	if (cores.empty())
		return std::nullopt;
	return static_cast<uint32_t>(cores.size());
}

HostSample collect_host(const HostPaths& paths, const UnameInfo& uname, std::string_view cpuid_vendor) {
	HostSample s;
	HostFacts& h = s.facts;
	h.hostname = uname.nodename;
	h.kernel = uname.release;
	h.arch = uname.machine;
	h.agent_version = SERVERSAN_VERSION;

	auto os = read_text_file(join_path(paths.etc, "os-release"), 64 << 10);
	if (!os) {
		auto fallback = read_text_file(join_path(paths.root, "usr/lib/os-release"), 64 << 10);
		if (fallback)
			os = std::move(fallback);
	}
	if (os) {
		OsRelease r = parse_os_release(*os);
		h.os_name = r.name;
		h.os_version = r.version_id;
	} else if (auto redhat = read_text_file(join_path(paths.etc, "redhat-release"), 4096)) {
		OsRelease r = parse_redhat_release(*redhat);
		h.os_name = r.name;
		h.os_version = r.version_id;
	} else {
		s.problems.push_back(os.error());
	}

	auto cpuinfo = read_text_file(join_path(paths.proc, "cpuinfo"), 4 << 20);
	if (cpuinfo) {
		CpuInfo c = parse_cpuinfo(*cpuinfo);
		h.cpu_model = c.model;
		h.cpu_logical = c.logical;
		h.cpu_physical = c.physical;
		h.cpu_mhz = c.mhz;
	} else {
		s.problems.push_back(cpuinfo.error());
	}
	if (!h.cpu_logical) {
		if (auto online = read_text_file(join_path(paths.sys, "devices/system/cpu/online"), 4096))
			h.cpu_logical = count_cpu_list(*online);
	}
	if (!h.cpu_physical && h.cpu_logical)
		h.cpu_physical = count_physical_cores_sysfs(paths.sys);
	if (!h.cpu_mhz) {
		// arm64 and others: the nominal maximum, in kHz.
		auto khz =
		    read_text_file(join_path(paths.sys, "devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"), 64);
		if (khz) {
			if (auto v = to_u64(trim(*khz)); v && *v > 0)
				h.cpu_mhz = static_cast<double>(*v) / 1000.0;
		}
	}
	h.virtualization = detect_virtualization(paths, cpuid_vendor, cpuinfo ? std::string_view(*cpuinfo) : "");

	if (auto stat = read_stat(paths.proc))
		h.boot_time = stat->boot_time;
	else
		s.problems.push_back(stat.error());
	return s;
}

} // namespace serversan::agent
