// Host facts collector: the slowly changing identity of the machine (hostname, OS, kernel, CPU
// model, logical and physical cores, MHz, virtualization, boot time) plus the agent's version.
//
// Sources: uname(2) (passed in, so tests need no real host), <etc>/os-release (falling back to
// <root>/usr/lib/os-release, as os-release(5) says, then to <etc>/redhat-release for RHEL and
// CentOS 6), <proc>/cpuinfo, <proc>/stat btime, and in
// <sys>/devices/system/cpu: "online" when cpuinfo has no "processor" lines, cpuN/topology when it
// has no "physical id"/"core id" (arm64), cpu0/cpufreq/cpuinfo_max_freq when it has no "cpu MHz".
// Virtualization: virtualization.h. A missing source leaves its facts empty; a missing os-release,
// cpuinfo or stat is listed in `problems`.
//
// The files are read with open/read/close: the collector runs at start and then seldom (cpuinfo
// is large and costly to generate on big machines), not every round.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct UnameInfo {
	std::string nodename, release, machine;
};
// This machine's uname(2); empty fields if the call fails.
UnameInfo system_uname();

struct OsRelease {
	std::string name, version_id;
};
OsRelease parse_os_release(std::string_view text);
// "CentOS release 6.10 (Final)" (/etc/redhat-release, on systems older than os-release) ->
// {"CentOS", "6.10"}; empty fields if the text has no " release ".
OsRelease parse_redhat_release(std::string_view text);

struct CpuInfo {
	std::string model;
	std::optional<uint32_t> logical, physical;
	std::optional<double> mhz;
};
CpuInfo parse_cpuinfo(std::string_view text);
// "0-3,6,8-9" (the kernel's cpulist format) -> 7; nullopt if malformed.
std::optional<uint32_t> count_cpu_list(std::string_view text);
// Physical cores from <sys>/devices/system/cpu/cpuN/topology (distinct package and core id pairs
// of the online CPUs); nullopt if any of it is missing.
std::optional<uint32_t> count_physical_cores_sysfs(const std::string& sys_root);

struct HostSample {
	HostFacts facts;
	std::vector<Error> problems;
};
// cpuid_vendor: this machine's CPUID hypervisor vendor (virtualization.h), "" in tests.
HostSample collect_host(const HostPaths& paths, const UnameInfo& uname, std::string_view cpuid_vendor = {});

} // namespace serversan::agent
